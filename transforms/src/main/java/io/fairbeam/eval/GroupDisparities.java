package io.fairbeam.eval;

import io.fairbeam.metrics.IntervalEstimator;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.slice.SliceSpecMatch;
import io.fairbeam.stats.Bounds;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import io.fairbeam.stats.WilsonInterval;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Group disparities, as fairlearn's {@code MetricFrame} reports them per sensitive feature: for
 * every slicing spec with {@code feature_keys} and every numeric metric of its slices, the largest
 * and smallest value and their slices, the difference (max − min), the ratio (min / max) and the
 * largest difference to Overall. With confidence intervals each statistic gets an interval from the
 * same statistic recomputed in every replicate.
 *
 * <p>Whether a gap is real is decided by a {@link GapTests test} of the two slices, among those
 * with enough examples behind the metric ({@link DecisionTests}), whose gap their intervals support
 * best: for a rate from its counts, for an AUC from DeLong's variances, for another metric from the
 * two slices' paired replicates. Its p-value is Bonferroni-adjusted for the pairs the two were
 * picked from and then Holm-adjusted across every disparity of the run, because a run with many
 * slices and metrics makes many comparisons.
 */
@Internal
public final class GroupDisparities {
  private final List<SlicingSpec> specs = new ArrayList<>();
  private final Set<String> counts = new HashSet<>();
  private final IntervalEstimator estimator;
  private final DecisionTests decisions;

  public GroupDisparities(EvalPlan plan) {
    for (SlicingSpec spec : plan.slicingSpecs()) {
      if (spec.getFeatureKeysCount() > 0 && spec.getFeatureValuesCount() == 0) {
        specs.add(spec);
      }
    }
    for (MetricDefinition metric : plan.metrics()) {
      if (!metric.hasConfidenceInterval()) {
        counts.addAll(metric.metricKeys());
      }
    }
    ConfidenceIntervals intervals = plan.confidenceIntervals();
    this.estimator =
        intervals == null ? null : IntervalEstimator.of(intervals.resampling(), intervals.level());
    this.decisions = plan.decisions();
  }

  /** Whether the config has a spec to compute disparities for. */
  public boolean any() {
    return !specs.isEmpty();
  }

  /** The number of slicing specs {@link #summarize} may give a summary for. */
  public int specCount() {
    return specs.size();
  }

  /**
   * The contribution of {@code slice} to the disparities of each spec it belongs to, by the spec's
   * index: none when it belongs to none or {@code min_slice_size} hides it.
   */
  public Map<Integer, DisparitySummary> summarize(SliceValues slice) {
    Map<Integer, DisparitySummary> result = new LinkedHashMap<>();
    if (slice.suppressed()) {
      return result;
    }
    DisparitySummary summary = null;
    for (int s = 0; s < specs.size(); s++) {
      if (SliceSpecMatch.applies(specs.get(s), slice.key())) {
        // One summary object per spec: a combine merges into it.
        summary = summary == null ? summarizeSlice(slice) : DisparitySummary.of(summary.metrics());
        result.put(s, summary);
      }
    }
    return result;
  }

  /** The summary of one slice, the same for every spec it belongs to. */
  private DisparitySummary summarizeSlice(SliceValues slice) {
    DisparitySummary summary = new DisparitySummary();
    int position = 0;
    for (Map.Entry<MetricKey, MetricValue> entry : slice.point().entrySet()) {
      MetricKey key = entry.getKey();
      if (!entry.getValue().hasDoubleValue() || key.getIsDiff() || counts.contains(key.getName())) {
        continue;
      }
      double[] replicates = replicateValues(slice, key);
      Proportion proportion = slice.proportions().get(key);
      double point = valueOf(slice.point(), key);
      DeLongAucInterval.Estimate auc = slice.aucs().get(key);
      Bounds aucBounds = auc == null ? null : decisions.aucInterval(auc);
      if (aucBounds == null) {
        auc = null; // no estimate: fewer than two positives or negatives
      }
      double count;
      Bounds bounds;
      if (proportion != null) {
        // Wilson's closed form ranks the slices (cheap for a million of them); the interval
        // reported for the two compared is the configured one (GapTests).
        count = proportion.n();
        bounds =
            proportion.n() > 0
                ? WilsonInterval.of(proportion, decisions.level())
                : new Bounds(point, point);
      } else if (slice.aucs().containsKey(key)) {
        // An AUC rests on its rarer class; one without an estimate is never a side.
        count = auc == null ? 0 : Math.min(auc.positives(), auc.negatives());
        bounds = auc == null ? new Bounds(point, point) : aucBounds;
      } else {
        count = slice.exampleCount();
        bounds = new Bounds(point, point);
      }
      DisparitySummary.Extreme value =
          new DisparitySummary.Extreme(
              slice.key(),
              point,
              valueOf(slice.replicatePoint(), key),
              replicates,
              proportion,
              auc,
              count,
              bounds.lower(),
              bounds.upper());
      boolean tested = count >= decisions.minCount();
      summary.add(key, DisparitySummary.Extremes.of(position++, value, tested));
    }
    return summary;
  }

  /**
   * The disparities of spec {@code spec} from the summary of all its slices, in the spec's metric
   * order, before the adjustment of their p-values ({@link #report}); {@code overall} is the
   * Overall slice, or null when the run has none.
   */
  public List<Disparity> disparities(int spec, DisparitySummary summary, SliceValues overall) {
    if (overall != null && overall.suppressed()) {
      overall = null;
    }
    List<Disparity> result = new ArrayList<>();
    for (Map.Entry<MetricKey, DisparitySummary.Extremes> metric : summary.metrics()) {
      if (metric.getValue().sliceCount() >= 2) {
        result.add(disparity(specs.get(spec), metric.getKey(), metric.getValue(), overall).build());
      }
    }
    return result;
  }

  /**
   * The run's disparities, in spec order ({@code bySpec} holds each spec's, by index), with Holm's
   * adjustment of their p-values across all of them.
   */
  public DisparityReport report(Map<Integer, List<Disparity>> bySpec) {
    List<Disparity.Builder> disparities = new ArrayList<>();
    new TreeMap<>(bySpec)
        .values()
        .forEach(list -> list.forEach(d -> disparities.add(d.toBuilder())));
    adjustByHolm(disparities);
    DisparityReport.Builder report =
        DisparityReport.newBuilder().setConfidenceLevel(decisions.level());
    disparities.forEach(report::addDisparities);
    return report.build();
  }

  /** The disparities of {@code all} slices at once: {@link #summarize}, then {@link #report}. */
  public DisparityReport compute(Collection<SliceValues> all) {
    Map<Integer, DisparitySummary> summaries = new TreeMap<>();
    SliceValues overall = null;
    for (SliceValues slice : all) {
      if (slice.key().isOverall()) {
        overall = slice;
      }
      summarize(slice)
          .forEach((spec, summary) -> summaries.merge(spec, summary, DisparitySummary::merge));
    }
    Map<Integer, List<Disparity>> bySpec = new TreeMap<>();
    for (Map.Entry<Integer, DisparitySummary> entry : summaries.entrySet()) {
      bySpec.put(entry.getKey(), disparities(entry.getKey(), entry.getValue(), overall));
    }
    return report(bySpec);
  }

  private Disparity.Builder disparity(
      SlicingSpec spec, MetricKey key, DisparitySummary.Extremes slices, SliceValues overall) {
    DisparitySummary.Extreme max = slices.max();
    DisparitySummary.Extreme min = slices.min();
    Disparity.Builder result =
        Disparity.newBuilder()
            .addAllFeatureKeys(spec.getFeatureKeysList())
            .setMetricKey(key)
            .setSliceCount(Math.toIntExact(slices.sliceCount()))
            .setMaxSlice(max.slice().toProto())
            .setMaxValue(max.value())
            .setMinSlice(min.slice().toProto())
            .setMinValue(min.value());
    double[] replicateMax = slices.replicateMax();
    double[] replicateMin = slices.replicateMin();
    result.setDifference(
        estimate(
            max.value() - min.value(),
            slices.aroundMax() - slices.aroundMin(),
            replicateMax == null ? null : r -> replicateMax[r] - replicateMin[r]));
    result.setRatio(
        estimate(
            ratio(max.value(), min.value()),
            ratio(slices.aroundMax(), slices.aroundMin()),
            replicateMax == null ? null : r -> ratio(replicateMax[r], replicateMin[r])));
    double overallValue = overall == null ? Double.NaN : valueOf(overall.point(), key);
    if (Double.isFinite(overallValue)) {
      double overallAround = valueOf(overall.replicatePoint(), key);
      result.setOverallValue(overallValue);
      double aboveMax = max.value() - overallValue;
      double belowMin = overallValue - min.value();
      boolean maxWorst =
          aboveMax > belowMin || (aboveMax == belowMin && max.slice().compareTo(min.slice()) <= 0);
      result.setWorstSlice((maxWorst ? max : min).slice().toProto());
      result.setDifferenceToOverall(
          estimate(
              Math.max(aboveMax, belowMin),
              Math.max(slices.aroundMax() - overallAround, overallAround - slices.aroundMin()),
              replicateMax == null
                  ? null
                  : r -> {
                    double o = valueOf(overall.replicates().get(r), key);
                    return Math.max(replicateMax[r] - o, o - replicateMin[r]);
                  }));
    }
    result.setPValue(Double.NaN).setAdjustedPValue(Double.NaN);
    GapTests.test(slices, decisions, estimator, result);
    return result;
  }

  /**
   * The values of {@code key} in each replicate of {@code slice}; null without intervals or when a
   * replicate has no data or no finite value (the statistics of its spec then have no interval).
   */
  private double[] replicateValues(SliceValues slice, MetricKey key) {
    if (estimator == null) {
      return null;
    }
    double[] values = new double[estimator.replicates()];
    for (int r = 0; r < values.length; r++) {
      Map<MetricKey, MetricValue> replicate = slice.replicates().get(r);
      values[r] = replicate == null ? Double.NaN : valueOf(replicate, key);
      if (!Double.isFinite(values[r])) {
        return null;
      }
    }
    return values;
  }

  /**
   * The statistic's point {@code value}, with its interval from its value in each replicate ({@code
   * replicate}, null without intervals): computed around the statistic at the replicates'
   * resolution ({@code centre}) and moved by the difference, as for a metric's interval.
   */
  private Estimate estimate(double value, double centre, IntToDoubleFunction replicate) {
    Estimate.Builder estimate = Estimate.newBuilder().setValue(value);
    if (replicate == null || !Double.isFinite(value) || !Double.isFinite(centre)) {
      return estimate.build();
    }
    double[] values = new double[estimator.replicates()];
    for (int r = 0; r < values.length; r++) {
      values[r] = replicate.applyAsDouble(r);
      if (!Double.isFinite(values[r])) {
        return estimate.build();
      }
    }
    return GapTests.shifted(value, centre, estimator.interval(centre, values));
  }

  private static double valueOf(Map<MetricKey, MetricValue> values, MetricKey key) {
    MetricValue value = values == null ? null : values.get(key);
    return value == null || !value.hasDoubleValue()
        ? Double.NaN
        : value.getDoubleValue().getValue();
  }

  /** fairlearn's ratio, min / max (NaN when the largest value is 0). */
  private static double ratio(double max, double min) {
    return max == 0 ? Double.NaN : min / max;
  }

  /** Holm's step-down adjustment of every p-value, and significance at 1 − level. */
  private void adjustByHolm(List<Disparity.Builder> disparities) {
    List<Disparity.Builder> tested = new ArrayList<>();
    for (Disparity.Builder d : disparities) {
      if (!Double.isNaN(d.getPValue())) {
        tested.add(d);
      }
    }
    tested.sort(Comparator.comparingDouble(Disparity.Builder::getPValue));
    int m = tested.size();
    double running = 0;
    for (int i = 0; i < m; i++) {
      Disparity.Builder d = tested.get(i);
      running = Math.max(running, Math.min(1, (m - i) * d.getPValue()));
      d.setAdjustedPValue(running);
      d.setSignificant(running < 1 - decisions.level());
    }
  }
}
