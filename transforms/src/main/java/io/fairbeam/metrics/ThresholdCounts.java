package io.fairbeam.metrics;

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
  private final double[] positiveWeight;
  private final double[] negativeWeight;

  /** Creates empty counts over {@code thresholds}, which must be sorted ascending and distinct. */
  public ThresholdCounts(double[] thresholds) {
    this.thresholds = thresholds;
    this.positiveWeight = new double[thresholds.length + 1];
    this.negativeWeight = new double[thresholds.length + 1];
  }

  /** Adds one example: {@code positive} and {@code negative} are w·label and w·(1 − label). */
  public void add(double prediction, double positive, double negative) {
    addToBucket(bucketOf(prediction), positive, negative);
  }

  /** Adds weights to a bucket found by {@link #bucketOf}. */
  void addToBucket(int bucket, double positive, double negative) {
    positiveWeight[bucket] += positive;
    negativeWeight[bucket] += negative;
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
    for (int i = 0; i < positiveWeight.length; i++) {
      positiveWeight[i] += other.positiveWeight[i];
      negativeWeight[i] += other.negativeWeight[i];
    }
  }

  public double[] thresholds() {
    return thresholds;
  }

  /** Per-bucket positive weights, for serialization. */
  double[] positiveWeights() {
    return positiveWeight;
  }

  /** Per-bucket negative weights, for serialization. */
  double[] negativeWeights() {
    return negativeWeight;
  }

  /** Confusion counts at every threshold, in threshold order. */
  public ConfusionCounts[] counts() {
    int n = thresholds.length;
    ConfusionCounts[] result = new ConfusionCounts[n];
    double[] positivesAbove = new double[n + 1];
    double[] negativesAbove = new double[n + 1];
    for (int k = n; k >= 0; k--) {
      positivesAbove[k] = positiveWeight[k] + (k < n ? positivesAbove[k + 1] : 0.0);
      negativesAbove[k] = negativeWeight[k] + (k < n ? negativesAbove[k + 1] : 0.0);
    }
    double positivesBelow = 0.0;
    double negativesBelow = 0.0;
    for (int i = 0; i < n; i++) {
      positivesBelow += positiveWeight[i];
      negativesBelow += negativeWeight[i];
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
