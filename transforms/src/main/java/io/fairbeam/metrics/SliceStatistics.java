package io.fairbeam.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A read-only view of one slice's finished {@link SliceAccumulator}, with the derived confusion
 * counts cached so that metrics sharing them (the ten Fairness Indicators at a threshold, AUC and
 * AUC-PR over the same 10,000 thresholds) compute them once.
 */
@Internal
public final class SliceStatistics {
  private final SliceAccumulator accumulator;
  private ConfusionCounts[] exactCounts;
  private final Map<List<Double>, ConfusionCounts[]> histogramCounts = new HashMap<>();

  public SliceStatistics(SliceAccumulator accumulator) {
    this.accumulator = accumulator;
  }

  public SliceAccumulator accumulator() {
    return accumulator;
  }

  /** Exact counts at {@code threshold}, which a metric must have declared. */
  public ConfusionCounts countsAt(double threshold) {
    ThresholdCounts counts = accumulator.thresholdCounts();
    int index = counts == null ? -1 : counts.indexOf(threshold);
    if (index < 0) {
      throw new IllegalStateException("Threshold " + threshold + " was not accumulated");
    }
    if (exactCounts == null) {
      exactCounts = counts.counts();
    }
    return exactCounts[index];
  }

  /** Counts at {@code thresholds} derived from the calibration histogram, as TFMA does. */
  public ConfusionCounts[] histogramCountsAt(double[] thresholds) {
    CalibrationHistogram histogram = accumulator.histogram();
    if (histogram == null) {
      throw new IllegalStateException("The calibration histogram was not accumulated");
    }
    List<Double> key = java.util.Arrays.stream(thresholds).boxed().toList();
    return histogramCounts.computeIfAbsent(key, k -> histogram.confusionCountsAt(thresholds));
  }
}
