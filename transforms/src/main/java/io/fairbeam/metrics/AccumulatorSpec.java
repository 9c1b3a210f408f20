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

  /**
   * Buckets of the histogram in each confidence-interval replicate: each holds 100 of the point
   * estimate's buckets. Twenty or more replicates of a 10,000-bucket histogram per slice would not
   * stay in the processor's caches and would make intervals cost several times the evaluation; the
   * replicates only estimate the spread, and {@link IntervalValues} centres the interval on the
   * full-resolution value.
   */
  public static final int REPLICATE_HISTOGRAM_BUCKETS = 100;

  private final double[] thresholds;
  private final boolean histogram;
  private final int histogramBuckets;
  private final int pairedBaseline;

  private AccumulatorSpec(
      double[] thresholds, boolean histogram, int histogramBuckets, int pairedBaseline) {
    this.thresholds = thresholds;
    this.histogram = histogram;
    this.histogramBuckets = histogramBuckets;
    this.pairedBaseline = pairedBaseline;
  }

  /** This spec with the replicates' coarser histogram (itself when it keeps no histogram). */
  public AccumulatorSpec forReplicates() {
    return histogram && histogramBuckets != REPLICATE_HISTOGRAM_BUCKETS
        ? new AccumulatorSpec(thresholds, true, REPLICATE_HISTOGRAM_BUCKETS, pairedBaseline)
        : this;
  }

  /**
   * The model index every other model's decisions are paired with ({@link PairedCounts}), or −1
   * when they are not: only when a change threshold asks for its confidence bound.
   */
  public int pairedBaseline() {
    return pairedBaseline;
  }

  /** The number of buckets of the histogram, when {@link #histogram()}. */
  public int histogramBuckets() {
    return histogramBuckets;
  }

  /** Sorted, distinct thresholds at which exact confusion counts are kept. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  double[] thresholdsUnsafe() {
    return thresholds;
  }

  /** Whether the calibration histogram is kept (with {@link #histogramBuckets()} buckets). */
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
        && histogram == other.histogram
        && histogramBuckets == other.histogramBuckets
        && pairedBaseline == other.pairedBaseline;
  }

  @Override
  public int hashCode() {
    return ((Arrays.hashCode(thresholds) * 31 + (histogram ? 1 : 0)) * 31 + histogramBuckets) * 31
        + pairedBaseline;
  }

  /** Collects the needs of each metric. */
  public static final class Builder {
    private final TreeSet<Double> thresholds = new TreeSet<>();
    private boolean histogram;
    private int pairedBaseline = -1;
    private boolean pairingRequired;

    private Builder() {}

    /** A metric compares models on the same examples: the plan must pair them with a baseline. */
    public Builder requirePairing() {
      pairingRequired = true;
      return this;
    }

    /** Whether a metric asked for {@link #requirePairing()}. */
    public boolean pairingRequired() {
      return pairingRequired;
    }

    /** Pairs every model's decisions with model {@code baseline}'s ({@link PairedCounts}). */
    public Builder pairWith(int baseline) {
      pairedBaseline = baseline;
      return this;
    }

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
      return new AccumulatorSpec(sorted, histogram, HISTOGRAM_BUCKETS, pairedBaseline);
    }
  }
}
