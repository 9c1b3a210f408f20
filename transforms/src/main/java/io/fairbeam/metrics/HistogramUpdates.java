package io.fairbeam.metrics;

import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Calibration-histogram updates held back and applied a few hundred at a time. A histogram of
 * 10,000 buckets is 240 KB, so with a few dozen slices the bucket an example lands in is rarely in
 * the CPU's cache; applied one example at a time each miss stalls the whole per-example path, while
 * in one tight loop the misses of many updates are in flight together. The sums are the same (each
 * bucket receives the same additions in the same order); a holder must {@link #flush} before
 * reading any histogram it fed.
 */
@Internal
public final class HistogramUpdates {
  private static final int CAPACITY = 512;

  private final CalibrationHistogram[] targets = new CalibrationHistogram[CAPACITY];
  private final int[] buckets = new int[CAPACITY];
  private final double[] weights = new double[CAPACITY];
  private final double[] weightedLabels = new double[CAPACITY];
  private final double[] weightedPredictions = new double[CAPACITY];
  private int size;

  void add(
      CalibrationHistogram target,
      int bucket,
      double weight,
      double weightedLabel,
      double weightedPrediction) {
    int i = size++;
    targets[i] = target;
    buckets[i] = bucket;
    weights[i] = weight;
    weightedLabels[i] = weightedLabel;
    weightedPredictions[i] = weightedPrediction;
    if (size == CAPACITY) {
      flush();
    }
  }

  /** Applies every held update. */
  public void flush() {
    for (int i = 0; i < size; i++) {
      targets[i].addToBucket(buckets[i], weights[i], weightedLabels[i], weightedPredictions[i]);
    }
    Arrays.fill(targets, 0, size, null);
    size = 0;
  }
}
