package io.fairbeam.metrics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Everything Fairbeam keeps about the examples of one slice: counts, weighted sums, exact
 * confusion counts at the configured thresholds and a sparse calibration histogram. It is
 * mergeable (the sum of two accumulators is the accumulator of the union of their examples) and
 * its size depends on the configuration, never on the number of examples.
 *
 * <p>Labels are TFMA's fractional labels: an example with label {@code l} in [0, 1] and weight
 * {@code w} counts {@code w·l} as positive and {@code w·(1 − l)} as negative.
 */
public final class SliceAccumulator {
  private final AccumulatorSpec spec;
  private long exampleCount;
  private double weight;
  private double weightedLabel;
  private double weightedPrediction;
  private final ThresholdCounts thresholdCounts;
  private final CalibrationHistogram histogram;

  public SliceAccumulator(AccumulatorSpec spec) {
    this.spec = spec;
    double[] thresholds = spec.thresholdsUnsafe();
    this.thresholdCounts = thresholds.length > 0 ? new ThresholdCounts(thresholds) : null;
    this.histogram =
        spec.histogram() ? new CalibrationHistogram(AccumulatorSpec.HISTOGRAM_BUCKETS) : null;
  }

  public AccumulatorSpec spec() {
    return spec;
  }

  /** Adds one example; {@code label} must lie in [0, 1]. */
  public void add(double label, double prediction, double exampleWeight) {
    exampleCount++;
    weight += exampleWeight;
    double positive = exampleWeight * label;
    weightedLabel += positive;
    weightedPrediction += exampleWeight * prediction;
    if (thresholdCounts != null) {
      double negative = label == 1.0 ? 0.0 : exampleWeight * (1.0 - label);
      thresholdCounts.add(prediction, positive, negative);
    }
    if (histogram != null) {
      histogram.add(prediction, label, exampleWeight);
    }
  }

  /** Adds the examples of {@code other}, which must share this accumulator's spec. */
  public void merge(SliceAccumulator other) {
    if (!spec.equals(other.spec)) {
      throw new IllegalArgumentException("Cannot merge accumulators of different specs");
    }
    exampleCount += other.exampleCount;
    weight += other.weight;
    weightedLabel += other.weightedLabel;
    weightedPrediction += other.weightedPrediction;
    if (thresholdCounts != null) {
      thresholdCounts.merge(other.thresholdCounts);
    }
    if (histogram != null) {
      histogram.merge(other.histogram);
    }
  }

  /** Number of examples, unweighted. */
  public long exampleCount() {
    return exampleCount;
  }

  /** Sum of example weights (the example count when unweighted). */
  public double weightedExampleCount() {
    return weight;
  }

  /** Sum of weight·label. */
  public double weightedLabelSum() {
    return weightedLabel;
  }

  /** Sum of weight·prediction. */
  public double weightedPredictionSum() {
    return weightedPrediction;
  }

  /** Exact counts at the spec's thresholds, or null when the spec has none. */
  public ThresholdCounts thresholdCounts() {
    return thresholdCounts;
  }

  /** The 10,000-bucket calibration histogram, or null when the spec does not require it. */
  public CalibrationHistogram histogram() {
    return histogram;
  }

  /** Writes this accumulator; {@link #readFrom} with the same spec reads it back. */
  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(exampleCount);
    out.writeDouble(weight);
    out.writeDouble(weightedLabel);
    out.writeDouble(weightedPrediction);
    if (thresholdCounts != null) {
      for (double v : thresholdCounts.positiveWeights()) {
        out.writeDouble(v);
      }
      for (double v : thresholdCounts.negativeWeights()) {
        out.writeDouble(v);
      }
    }
    writeHistogram(histogram, out);
  }

  private static void writeHistogram(CalibrationHistogram histogram, DataOutput out)
      throws IOException {
    if (histogram == null) {
      return;
    }
    CalibrationHistogram.Bucket[] buckets = histogram.sortedBuckets();
    out.writeInt(buckets.length);
    for (CalibrationHistogram.Bucket bucket : buckets) {
      out.writeInt(bucket.id());
      out.writeDouble(bucket.weight());
      out.writeDouble(bucket.weightedLabel());
      out.writeDouble(bucket.weightedPrediction());
    }
  }

  /** Reads an accumulator written by {@link #writeTo} under the same spec. */
  public static SliceAccumulator readFrom(AccumulatorSpec spec, DataInput in) throws IOException {
    SliceAccumulator result = new SliceAccumulator(spec);
    result.exampleCount = in.readLong();
    result.weight = in.readDouble();
    result.weightedLabel = in.readDouble();
    result.weightedPrediction = in.readDouble();
    if (result.thresholdCounts != null) {
      double[] positive = result.thresholdCounts.positiveWeights();
      double[] negative = result.thresholdCounts.negativeWeights();
      for (int i = 0; i < positive.length; i++) {
        positive[i] = in.readDouble();
      }
      for (int i = 0; i < negative.length; i++) {
        negative[i] = in.readDouble();
      }
    }
    readHistogram(result.histogram, in);
    return result;
  }

  private static void readHistogram(CalibrationHistogram histogram, DataInput in)
      throws IOException {
    if (histogram == null) {
      return;
    }
    int size = in.readInt();
    for (int i = 0; i < size; i++) {
      histogram.addToBucket(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble());
    }
  }
}
