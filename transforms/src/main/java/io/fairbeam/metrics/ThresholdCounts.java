package io.fairbeam.metrics;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Exact weighted confusion counts at a fixed, sorted set of thresholds, kept in a form that costs
 * one binary search and two additions per example whatever the number of thresholds.
 *
 * <p>An example with prediction {@code p} falls in bucket {@code k}, the number of thresholds
 * strictly below {@code p}; it is predicted positive at threshold {@code i} exactly when {@code k >
 * i} (TFMA's strict {@code prediction > threshold} rule). The positive and negative label weight of
 * each bucket is summed, and the counts at a threshold are prefix and suffix sums over buckets.
 */
final class ThresholdCounts {
  private final double[] thresholds;

  /**
   * Bucket k's positive weight at {@code 2k} and its negative weight at {@code 2k + 1}, so adding
   * an example touches one cache line: past a few thousand slices the counts are rarely cached.
   */
  private final double[] weights;

  /** Creates empty counts over {@code thresholds}, which must be sorted ascending and distinct. */
  public ThresholdCounts(double[] thresholds) {
    this.thresholds = thresholds;
    this.weights = new double[2 * (thresholds.length + 1)];
  }

  /** Adds one example: {@code positive} and {@code negative} are w·label and w·(1 − label). */
  public void add(double prediction, double positive, double negative) {
    addToBucket(bucketOf(prediction), positive, negative);
  }

  /** Adds weights to a bucket found by {@link #bucketOf}. */
  void addToBucket(int bucket, double positive, double negative) {
    weights[2 * bucket] += positive;
    weights[2 * bucket + 1] += negative;
  }

  /** The bucket of a prediction: the number of thresholds strictly below it. */
  int bucketOf(double prediction) {
    // Number of thresholds t with t < prediction.
    int low = 0;
    int high = thresholds.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (thresholds[mid] < prediction) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Adds {@code other}, which must have been built over the same thresholds. */
  public void merge(ThresholdCounts other) {
    if (!Arrays.equals(thresholds, other.thresholds)) {
      throw new IllegalArgumentException("Cannot merge counts over different thresholds");
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] += other.weights[i];
    }
  }

  public double[] thresholds() {
    return thresholds;
  }

  /** Size in bytes of {@link #writeTo}'s encoding. */
  int encodedSize() {
    return 8 * weights.length;
  }

  /** Writes every bucket's positive weight, then every bucket's negative weight. */
  void writeTo(ByteBuffer out) {
    for (int i = 0; i < weights.length; i += 2) {
      out.putDouble(weights[i]);
    }
    for (int i = 1; i < weights.length; i += 2) {
      out.putDouble(weights[i]);
    }
  }

  /** Reads what {@link #writeTo} wrote, replacing these counts. */
  void readFrom(ByteBuffer in) {
    for (int i = 0; i < weights.length; i += 2) {
      weights[i] = in.getDouble();
    }
    for (int i = 1; i < weights.length; i += 2) {
      weights[i] = in.getDouble();
    }
  }

  /** Confusion counts at every threshold, in threshold order. */
  public ConfusionCounts[] counts() {
    int n = thresholds.length;
    ConfusionCounts[] result = new ConfusionCounts[n];
    double[] positivesAbove = new double[n + 1];
    double[] negativesAbove = new double[n + 1];
    for (int k = n; k >= 0; k--) {
      positivesAbove[k] = weights[2 * k] + (k < n ? positivesAbove[k + 1] : 0.0);
      negativesAbove[k] = weights[2 * k + 1] + (k < n ? negativesAbove[k + 1] : 0.0);
    }
    double positivesBelow = 0.0;
    double negativesBelow = 0.0;
    for (int i = 0; i < n; i++) {
      positivesBelow += weights[2 * i];
      negativesBelow += weights[2 * i + 1];
      result[i] =
          new ConfusionCounts(
              thresholds[i],
              positivesAbove[i + 1],
              negativesAbove[i + 1],
              negativesBelow,
              positivesBelow);
    }
    return result;
  }

  /** Index of {@code threshold} in {@link #thresholds()}, or a negative number if absent. */
  public int indexOf(double threshold) {
    return Arrays.binarySearch(thresholds, threshold);
  }
}
