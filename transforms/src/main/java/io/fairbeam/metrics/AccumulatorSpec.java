package io.fairbeam.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

  /**
   * Per accumulator (model, or model and sub-key), the accumulator its decisions are paired with,
   * −1 for none; empty when nothing is paired.
   */
  private final int[] pairing;

  private final ExampleTerm[] terms;
  private final boolean fullResolutionReplicates;
  private final double[] scoreThresholds;
  private final double[] multiClassThresholds;
  private final double[] multiLabelThresholds;

  /**
   * The label ranges of extra calibration histograms, {@code [left0, right0, left1, right1, ...]},
   * for plots over a range other than [0, 1] (a regression model's labels); empty when none.
   */
  private final double[] histogramRanges;

  /**
   * The features whose means are kept (TFMA's {@code Mean}), each with the feature weighing it (""
   * for a weight of 1), in pairs {@code [feature0, weight0, feature1, ...]}; empty for none.
   */
  private final String[] featureMeans;

  private AccumulatorSpec(
      double[] thresholds,
      boolean histogram,
      int histogramBuckets,
      int[] pairing,
      ExampleTerm[] terms,
      boolean fullResolutionReplicates,
      double[] scoreThresholds,
      double[] multiClassThresholds,
      double[] multiLabelThresholds,
      double[] histogramRanges,
      String[] featureMeans) {
    this.thresholds = thresholds;
    this.histogram = histogram;
    this.histogramBuckets = histogramBuckets;
    this.pairing = pairing;
    this.terms = terms;
    this.fullResolutionReplicates = fullResolutionReplicates;
    this.scoreThresholds = scoreThresholds;
    this.multiClassThresholds = multiClassThresholds;
    this.multiLabelThresholds = multiLabelThresholds;
    this.histogramRanges = histogramRanges;
    this.featureMeans = featureMeans;
  }

  /**
   * This spec for the replicates: with their coarser histogram (unless it keeps none, or a metric
   * needs the replicates at full resolution), and without the histograms over other label ranges.
   */
  public AccumulatorSpec forReplicates() {
    boolean coarser =
        histogram && histogramBuckets != REPLICATE_HISTOGRAM_BUCKETS && !fullResolutionReplicates;
    if (!coarser && histogramRanges.length == 0) {
      return this;
    }
    // The histograms over other label ranges serve plots only, which get no intervals.
    return new AccumulatorSpec(
        thresholds,
        histogram,
        coarser ? REPLICATE_HISTOGRAM_BUCKETS : histogramBuckets,
        pairing,
        terms,
        coarser ? false : fullResolutionReplicates,
        scoreThresholds,
        multiClassThresholds,
        multiLabelThresholds,
        new double[0],
        featureMeans);
  }

  /**
   * The accumulator whose decisions accumulator {@code index}'s are paired with ({@link
   * PairedCounts}): the baseline model's (for the same sub-key), or −1 when they are not paired
   * (the baseline itself; every accumulator unless a metric or a change threshold's bound compares
   * models).
   */
  public int pairedWith(int index) {
    return index < pairing.length ? pairing[index] : -1;
  }

  /** Whether any accumulator is paired with another ({@link #pairedWith}). */
  public boolean pairs() {
    for (int p : pairing) {
      if (p >= 0) {
        return true;
      }
    }
    return false;
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

  /**
   * Sorted, distinct thresholds at which exact counts are kept with each example's score as its
   * label (w·score positive, w·(1 − score) negative): TFMA's {@code ScoreDistributionPlot}.
   */
  public double[] scoreThresholds() {
    return scoreThresholds.clone();
  }

  double[] scoreThresholdsUnsafe() {
    return scoreThresholds;
  }

  /**
   * Sorted, distinct thresholds at which a multi-class model's confusion matrices are kept ({@link
   * MultiClassCounts}); empty when none are.
   */
  public double[] multiClassThresholds() {
    return multiClassThresholds.clone();
  }

  double[] multiClassThresholdsUnsafe() {
    return multiClassThresholds;
  }

  /**
   * The thresholds at which a multi-label model's confusion matrices are kept ({@link
   * MultiLabelCounts}); empty when none are.
   */
  public double[] multiLabelThresholds() {
    return multiLabelThresholds.clone();
  }

  double[] multiLabelThresholdsUnsafe() {
    return multiLabelThresholds;
  }

  /** The number of extra calibration histograms over label ranges ({@link #histogramRange}). */
  public int histogramRangeCount() {
    return histogramRanges.length / 2;
  }

  /** The index of the histogram over [{@code left}, {@code right}]; −1 when none is kept. */
  public int histogramRange(double left, double right) {
    for (int r = 0; r < histogramRanges.length; r += 2) {
      if (histogramRanges[r] == left && histogramRanges[r + 1] == right) {
        return r / 2;
      }
    }
    return -1;
  }

  /** The number of feature means kept ({@link #featureMean}). */
  public int featureMeanCount() {
    return featureMeans.length / 2;
  }

  /** The feature of feature mean {@code i}. */
  public String meanFeature(int i) {
    return featureMeans[2 * i];
  }

  /** The feature weighing feature mean {@code i}, or "" for a weight of 1. */
  public String meanWeight(int i) {
    return featureMeans[2 * i + 1];
  }

  /** The index of the mean of {@code feature} weighed by {@code weight} (""), or −1. */
  public int featureMean(String feature, String weight) {
    for (int i = 0; i < featureMeans.length; i += 2) {
      if (featureMeans[i].equals(feature) && featureMeans[i + 1].equals(weight)) {
        return i / 2;
      }
    }
    return -1;
  }

  double rangeLeft(int range) {
    return histogramRanges[2 * range];
  }

  double rangeRight(int range) {
    return histogramRanges[2 * range + 1];
  }

  /** The per-example terms whose weighted sums are kept, in the order metrics declared them. */
  public List<ExampleTerm> terms() {
    return List.of(terms);
  }

  ExampleTerm[] termsUnsafe() {
    return terms;
  }

  /** The position of {@code term} among {@link #terms()}, or −1 when it is not kept. */
  public int termIndex(ExampleTerm term) {
    for (int i = 0; i < terms.length; i++) {
      if (terms[i].equals(term)) {
        return i;
      }
    }
    return -1;
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
        && Arrays.equals(pairing, other.pairing)
        && Arrays.equals(terms, other.terms)
        && fullResolutionReplicates == other.fullResolutionReplicates
        && Arrays.equals(scoreThresholds, other.scoreThresholds)
        && Arrays.equals(multiClassThresholds, other.multiClassThresholds)
        && Arrays.equals(multiLabelThresholds, other.multiLabelThresholds)
        && Arrays.equals(histogramRanges, other.histogramRanges)
        && Arrays.equals(featureMeans, other.featureMeans);
  }

  @Override
  public int hashCode() {
    return (((Arrays.hashCode(thresholds) * 31 + (histogram ? 1 : 0)) * 31 + histogramBuckets) * 31
                + Arrays.hashCode(pairing))
            * 31
        + Arrays.hashCode(terms)
        + (fullResolutionReplicates ? 1 : 0)
        + 31 * Arrays.hashCode(scoreThresholds)
        + 961 * Arrays.hashCode(multiClassThresholds)
        + 29791 * Arrays.hashCode(multiLabelThresholds)
        + 923521 * Arrays.hashCode(histogramRanges)
        + 28629151 * Arrays.hashCode(featureMeans);
  }

  /** Collects the needs of each metric. */
  public static final class Builder {
    private final TreeSet<Double> thresholds = new TreeSet<>();
    private boolean histogram;
    private int[] pairing = new int[0];
    private boolean pairingRequired;
    private final Set<ExampleTerm> terms = new LinkedHashSet<>();
    private boolean fullResolutionReplicates;
    private final TreeSet<Double> scoreThresholds = new TreeSet<>();
    private final TreeSet<Double> multiClassThresholds = new TreeSet<>();
    private final TreeSet<Double> multiLabelThresholds = new TreeSet<>();
    private final List<double[]> histogramRanges = new ArrayList<>();
    private final List<String> featureMeans = new ArrayList<>();

    private Builder() {}

    /** Keeps the mean of {@code feature}, weighed by feature {@code weight} ("" for 1). */
    public Builder addFeatureMean(String feature, String weight) {
      for (int i = 0; i < featureMeans.size(); i += 2) {
        if (featureMeans.get(i).equals(feature) && featureMeans.get(i + 1).equals(weight)) {
          return this;
        }
      }
      featureMeans.add(feature);
      featureMeans.add(weight);
      return this;
    }

    /**
     * Keeps a calibration histogram over [{@code left}, {@code right}] besides the one over [0, 1],
     * at the point estimate only (its plots have no intervals).
     */
    public Builder requireHistogramRange(double left, double right) {
      for (double[] range : histogramRanges) {
        if (range[0] == left && range[1] == right) {
          return this;
        }
      }
      histogramRanges.add(new double[] {left, right});
      return this;
    }

    /** Keeps a multi-label model's confusion matrices at {@code values}. */
    public Builder addMultiLabelThresholds(Collection<Double> values) {
      multiLabelThresholds.addAll(values);
      return this;
    }

    /** Keeps a multi-class model's confusion matrices at {@code values}. */
    public Builder addMultiClassThresholds(Collection<Double> values) {
      multiClassThresholds.addAll(values);
      return this;
    }

    /** Keeps exact counts at {@code values} with each example's score as its label. */
    public Builder addScoreThresholds(Collection<Double> values) {
      scoreThresholds.addAll(values);
      return this;
    }

    /**
     * Keeps the replicates' histogram at full resolution: for a metric that picks one of the
     * histogram's thresholds (the recall at a precision), whose spread a coarser grid of thresholds
     * would change rather than only blur. Costs memory and time per replicate.
     */
    public Builder requireFullResolutionReplicates() {
      fullResolutionReplicates = true;
      return this;
    }

    /** Keeps the weighted sum of {@code term} over each slice's examples. */
    public Builder addTerm(ExampleTerm term) {
      terms.add(term);
      return this;
    }

    /** A metric compares models on the same examples: the plan must pair them with a baseline. */
    public Builder requirePairing() {
      pairingRequired = true;
      return this;
    }

    /** Whether a metric asked for {@link #requirePairing()}. */
    public boolean pairingRequired() {
      return pairingRequired;
    }

    /**
     * Pairs the decisions of each of {@code count} accumulators but {@code baseline} with those of
     * accumulator {@code baseline} ({@link PairedCounts}).
     */
    public Builder pairWith(int baseline, int count) {
      int[] with = new int[count];
      for (int i = 0; i < count; i++) {
        with[i] = i == baseline ? -1 : baseline;
      }
      return pairing(with);
    }

    /** Pairs accumulator i's decisions with accumulator {@code with[i]}'s (−1: not paired). */
    public Builder pairing(int[] with) {
      pairing = with.clone();
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
      return new AccumulatorSpec(
          sorted,
          histogram,
          HISTOGRAM_BUCKETS,
          pairing,
          terms.toArray(new ExampleTerm[0]),
          fullResolutionReplicates,
          scoreThresholds.stream().mapToDouble(Double::doubleValue).toArray(),
          multiClassThresholds.stream().mapToDouble(Double::doubleValue).toArray(),
          multiLabelThresholds.stream().mapToDouble(Double::doubleValue).toArray(),
          histogramRanges.stream().flatMapToDouble(java.util.Arrays::stream).toArray(),
          featureMeans.toArray(new String[0]));
    }
  }
}
