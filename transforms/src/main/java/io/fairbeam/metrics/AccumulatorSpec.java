package io.fairbeam.metrics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;
import org.apache.beam.sdk.annotations.Internal;

/**
 * What a {@link SliceAccumulator} must collect so that every configured metric can be derived from
 * it: exact counts at the union of all explicit thresholds, and the calibration histogram that AUC
 * and the plots are derived from. Metrics declare their needs through {@link Builder}; they share
 * one accumulator per slice, as TFMA's metrics share computations.
 */
@Internal
public final class AccumulatorSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Buckets of the histogram behind AUC, plots and {@code num_thresholds} (TFMA's default). */
  public static final int HISTOGRAM_BUCKETS = 10000;

  private final double[] thresholds;
  private final boolean histogram;

  private AccumulatorSpec(double[] thresholds, boolean histogram) {
    this.thresholds = thresholds;
    this.histogram = histogram;
  }

  /** Sorted, distinct thresholds at which exact confusion counts are kept. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  double[] thresholdsUnsafe() {
    return thresholds;
  }

  /** Whether the {@value #HISTOGRAM_BUCKETS}-bucket calibration histogram is kept. */
  public boolean histogram() {
    return histogram;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccumulatorSpec other
        && Arrays.equals(thresholds, other.thresholds)
        && histogram == other.histogram;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(thresholds) * 31 + (histogram ? 1 : 0);
  }

  /** Collects the needs of each metric. */
  public static final class Builder {
    private final TreeSet<Double> thresholds = new TreeSet<>();
    private boolean histogram;

    private Builder() {}

    public Builder addThresholds(Collection<Double> values) {
      thresholds.addAll(values);
      return this;
    }

    public Builder requireHistogram() {
      histogram = true;
      return this;
    }

    public AccumulatorSpec build() {
      double[] sorted = thresholds.stream().mapToDouble(Double::doubleValue).toArray();
      return new AccumulatorSpec(sorted, histogram);
    }
  }
}
