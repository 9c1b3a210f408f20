package io.fairbeam.eval;

import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * What the group disparities of one slicing spec need from its slices, in a size bounded by the
 * config whatever the number of slices: per numeric metric, the slice with the largest and the one
 * with the smallest value (with their values at the replicates' resolution and in every replicate),
 * the number of slices, the largest and smallest value at the replicates' resolution, and, per
 * replicate, the largest and smallest value over all slices. Every disparity statistic (max − min,
 * min / max, the largest distance to Overall) is attained at these extremes, in the point estimate
 * and in each replicate, so {@link GroupDisparities} computes the same values from a summary as
 * from all slices. Among the slices with enough examples behind the metric for a decision ({@link
 * DecisionTests#minCount}) it keeps the two whose values are surely highest (largest lower bound of
 * the decision interval) and the two surely lowest (smallest upper bound): the pair a finding
 * compares is among them.
 *
 * <p>Summaries merge in any order with the same result (ties go to the slice first in key order, as
 * TFMA sorts slices), so a runner can combine them per spec across workers. Mutable: {@link #merge}
 * adds another summary into this one.
 */
@Internal
public final class DisparitySummary {
  private final Map<MetricKey, Extremes> metrics = new HashMap<>();

  /**
   * One slice with its value of a metric.
   *
   * @param proportion the value as a share of examples, for a rate; null for other metrics
   * @param auc DeLong's estimate, for a ROC AUC with a defined interval; null for other metrics
   * @param count the examples behind the value: the rate's (effective) denominator, the fewer of an
   *     AUC's positives and negatives, or the slice's example count
   * @param lowerBound the lower bound the slices are ranked by: a rate's Wilson bound, an AUC's
   *     DeLong bound, the value itself for a metric judged from replicates
   * @param upperBound the upper bound, likewise
   */
  public record Extreme(
      SliceKey slice,
      double value,
      double around,
      double[] replicates,
      Proportion proportion,
      DeLongAucInterval.Estimate auc,
      double count,
      double lowerBound,
      double upperBound) {}

  /** How many surely highest and surely lowest slices a summary keeps. */
  static final int TESTED_KEPT = 2;

  /** Largest lower bound first; ties to the slice first in key order. */
  static final Comparator<Extreme> SURELY_HIGHER =
      Comparator.comparingDouble((Extreme e) -> -e.lowerBound()).thenComparing(Extreme::slice);

  /** Smallest upper bound first; ties to the slice first in key order. */
  static final Comparator<Extreme> SURELY_LOWER =
      Comparator.comparingDouble(Extreme::upperBound).thenComparing(Extreme::slice);

  /**
   * One metric's extremes over the slices summarized so far.
   *
   * @param firstSlice the first slice (in key order) that has the metric, and {@code firstPosition}
   *     the metric's position among that slice's metrics: the metrics of a spec are reported in
   *     this order
   * @param sliceCount the slices with a finite value
   * @param max the slice with the largest value (null while {@code sliceCount} is 0)
   * @param aroundMax the largest value at the replicates' resolution (NaN once one is not finite)
   * @param replicateMax the largest value in each replicate; null without intervals, or once a
   *     slice has a replicate without a finite value (the statistics then have no interval)
   * @param testedCount the slices with a finite value and enough examples for a decision
   * @param surelyHighest of those, the (at most {@value #TESTED_KEPT}) with the largest lower
   *     bound, largest first
   * @param surelyLowest of those, the ones with the smallest upper bound, smallest first
   */
  public record Extremes(
      SliceKey firstSlice,
      int firstPosition,
      long sliceCount,
      Extreme max,
      Extreme min,
      double aroundMax,
      double aroundMin,
      double[] replicateMax,
      double[] replicateMin,
      long testedCount,
      List<Extreme> surelyHighest,
      List<Extreme> surelyLowest) {

    /**
     * No slice yet: the first is {@code firstSlice}, whose metric at {@code position} is not
     * finite.
     */
    public static Extremes none(SliceKey firstSlice, int position) {
      return new Extremes(
          firstSlice,
          position,
          0,
          null,
          null,
          Double.NaN,
          Double.NaN,
          null,
          null,
          0,
          List.of(),
          List.of());
    }

    /**
     * The extremes of one slice, {@code value}'s (finite or not), with the metric at {@code
     * position} among the slice's metrics; {@code tested} when it has enough examples for a
     * decision.
     */
    static Extremes of(int position, Extreme value, boolean tested) {
      if (!Double.isFinite(value.value())) {
        return none(value.slice(), position);
      }
      return new Extremes(
          value.slice(),
          position,
          1,
          value,
          value,
          value.around(),
          value.around(),
          value.replicates(),
          value.replicates(),
          tested ? 1 : 0,
          tested ? List.of(value) : List.of(),
          tested ? List.of(value) : List.of());
    }

    /** These extremes and {@code other}'s, over the slices of both. */
    Extremes merge(Extremes other) {
      boolean thisFirst = firstSlice.compareTo(other.firstSlice) <= 0;
      if (other.sliceCount == 0 || sliceCount == 0) {
        Extremes counted = sliceCount == 0 ? other : this;
        return new Extremes(
            thisFirst ? firstSlice : other.firstSlice,
            thisFirst ? firstPosition : other.firstPosition,
            counted.sliceCount,
            counted.max,
            counted.min,
            counted.aroundMax,
            counted.aroundMin,
            counted.replicateMax,
            counted.replicateMin,
            counted.testedCount,
            counted.surelyHighest,
            counted.surelyLowest);
      }
      return new Extremes(
          thisFirst ? firstSlice : other.firstSlice,
          thisFirst ? firstPosition : other.firstPosition,
          sliceCount + other.sliceCount,
          larger(max, other.max),
          smaller(min, other.min),
          Double.isNaN(aroundMax) || Double.isNaN(other.aroundMax)
              ? Double.NaN
              : Math.max(aroundMax, other.aroundMax),
          Double.isNaN(aroundMin) || Double.isNaN(other.aroundMin)
              ? Double.NaN
              : Math.min(aroundMin, other.aroundMin),
          elementwise(replicateMax, other.replicateMax, true),
          elementwise(replicateMin, other.replicateMin, false),
          testedCount + other.testedCount,
          kept(surelyHighest, other.surelyHighest, SURELY_HIGHER),
          kept(surelyLowest, other.surelyLowest, SURELY_LOWER));
    }

    /**
     * The first {@value #TESTED_KEPT} of {@code a} and {@code b} together (each already in {@code
     * order}), by a merge: this runs for every slice and metric, so it neither sorts nor copies
     * more than it keeps.
     */
    private static List<Extreme> kept(List<Extreme> a, List<Extreme> b, Comparator<Extreme> order) {
      if (b.isEmpty()) {
        return a;
      }
      if (a.isEmpty()) {
        return b;
      }
      Extreme[] result = new Extreme[Math.min(TESTED_KEPT, a.size() + b.size())];
      int i = 0;
      int j = 0;
      for (int k = 0; k < result.length; k++) {
        boolean fromA = j >= b.size() || (i < a.size() && order.compare(a.get(i), b.get(j)) <= 0);
        result[k] = fromA ? a.get(i++) : b.get(j++);
      }
      return List.of(result);
    }

    private static Extreme larger(Extreme a, Extreme b) {
      int order = Double.compare(a.value(), b.value());
      return order > 0 || (order == 0 && a.slice().compareTo(b.slice()) < 0) ? a : b;
    }

    private static Extreme smaller(Extreme a, Extreme b) {
      int order = Double.compare(a.value(), b.value());
      return order < 0 || (order == 0 && a.slice().compareTo(b.slice()) < 0) ? a : b;
    }

    private static double[] elementwise(double[] a, double[] b, boolean max) {
      if (a == null || b == null) {
        return null;
      }
      double[] result = new double[a.length];
      for (int r = 0; r < a.length; r++) {
        result[r] = max ? Math.max(a[r], b[r]) : Math.min(a[r], b[r]);
      }
      return result;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Extremes other
          && firstSlice.equals(other.firstSlice)
          && firstPosition == other.firstPosition
          && sliceCount == other.sliceCount
          && sameExtreme(max, other.max)
          && sameExtreme(min, other.min)
          && Double.compare(aroundMax, other.aroundMax) == 0
          && Double.compare(aroundMin, other.aroundMin) == 0
          && Arrays.equals(replicateMax, other.replicateMax)
          && Arrays.equals(replicateMin, other.replicateMin)
          && testedCount == other.testedCount
          && sameExtremes(surelyHighest, other.surelyHighest)
          && sameExtremes(surelyLowest, other.surelyLowest);
    }

    @Override
    public int hashCode() {
      return firstSlice.hashCode() * 31 + Long.hashCode(sliceCount);
    }

    private static boolean sameExtreme(Extreme a, Extreme b) {
      return a == null
          ? b == null
          : b != null
              && a.slice().equals(b.slice())
              && Double.compare(a.value(), b.value()) == 0
              && Double.compare(a.around(), b.around()) == 0
              && Arrays.equals(a.replicates(), b.replicates())
              && java.util.Objects.equals(a.proportion(), b.proportion())
              && java.util.Objects.equals(a.auc(), b.auc())
              && Double.compare(a.count(), b.count()) == 0
              && Double.compare(a.lowerBound(), b.lowerBound()) == 0
              && Double.compare(a.upperBound(), b.upperBound()) == 0;
    }

    private static boolean sameExtremes(List<Extreme> a, List<Extreme> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameExtreme(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  /** Adds one metric of one slice. */
  void add(MetricKey key, Extremes extremes) {
    metrics.merge(key, extremes, Extremes::merge);
  }

  /** Adds every metric of {@code other} into this summary. */
  public DisparitySummary merge(DisparitySummary other) {
    other.metrics.forEach(this::add);
    return this;
  }

  /** The metrics, each with its extremes, in the order the spec reports them. */
  public List<Map.Entry<MetricKey, Extremes>> metrics() {
    List<Map.Entry<MetricKey, Extremes>> entries = new ArrayList<>(metrics.entrySet());
    entries.sort(
        Comparator.comparing(
                (Map.Entry<MetricKey, Extremes> e) -> e.getValue().firstSlice(),
                Comparator.naturalOrder())
            .thenComparingInt(e -> e.getValue().firstPosition()));
    return entries;
  }

  /** Rebuilds a summary of {@code metrics} (as {@link #metrics} gave them), e.g. when decoding. */
  public static DisparitySummary of(List<Map.Entry<MetricKey, Extremes>> metrics) {
    DisparitySummary summary = new DisparitySummary();
    metrics.forEach(e -> summary.add(e.getKey(), e.getValue()));
    return summary;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DisparitySummary other && metrics.equals(other.metrics);
  }

  @Override
  public int hashCode() {
    return metrics.hashCode();
  }
}
