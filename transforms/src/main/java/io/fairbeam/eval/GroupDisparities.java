package io.fairbeam.eval;

import io.fairbeam.metrics.Interval;
import io.fairbeam.metrics.IntervalEstimator;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.slice.SliceSpecMatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Group disparities, as fairlearn's {@code MetricFrame} reports them per sensitive feature: for
 * every slicing spec with {@code feature_keys} and every numeric metric of its slices, the largest
 * and smallest value and their slices, the difference (max − min), the ratio (min / max) and the
 * largest difference to Overall. With confidence intervals each statistic gets an interval from the
 * same statistic recomputed in every replicate, and a p-value for "the max and min slices do not
 * differ" from their paired replicate differences, Bonferroni-adjusted for the pairs the two were
 * picked from and then Holm-adjusted across every disparity of the run, because a run with many
 * slices and metrics makes many comparisons.
 */
@Internal
public final class GroupDisparities {
  private final List<SlicingSpec> specs = new ArrayList<>();
  private final Set<String> counts = new HashSet<>();
  private final IntervalEstimator estimator;
  private final double level;

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
    this.level = intervals == null ? 0 : intervals.level();
  }

  /** Whether the config has a spec to compute disparities for. */
  public boolean any() {
    return !specs.isEmpty();
  }

  /** The disparities of {@code all} slices. */
  public DisparityReport compute(Collection<SliceValues> all) {
    List<SliceValues> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(SliceValues::key));
    SliceValues overall =
        sorted.stream()
            .filter(s -> s.key().isOverall() && !s.suppressed())
            .findFirst()
            .orElse(null);
    List<Disparity.Builder> disparities = new ArrayList<>();
    for (SlicingSpec spec : specs) {
      List<SliceValues> slices = new ArrayList<>();
      Set<MetricKey> keys = new LinkedHashSet<>();
      for (SliceValues slice : sorted) {
        if (!slice.suppressed() && SliceSpecMatch.applies(spec, slice.key())) {
          slices.add(slice);
          slice
              .point()
              .forEach(
                  (key, value) -> {
                    if (value.hasDoubleValue()
                        && !key.getIsDiff()
                        && !counts.contains(key.getName())) {
                      keys.add(key);
                    }
                  });
        }
      }
      for (MetricKey key : keys) {
        Disparity.Builder disparity = disparity(spec, key, slices, overall);
        if (disparity != null) {
          disparities.add(disparity);
        }
      }
    }
    if (estimator != null) {
      adjustByHolm(disparities);
    }
    DisparityReport.Builder report = DisparityReport.newBuilder().setConfidenceLevel(level);
    disparities.forEach(report::addDisparities);
    return report.build();
  }

  private Disparity.Builder disparity(
      SlicingSpec spec, MetricKey key, List<SliceValues> candidates, SliceValues overall) {
    List<SliceValues> slices = new ArrayList<>();
    for (SliceValues slice : candidates) {
      if (Double.isFinite(valueOf(slice.point(), key))) {
        slices.add(slice);
      }
    }
    if (slices.size() < 2) {
      return null;
    }
    double[] values = new double[slices.size()];
    double[] around = new double[slices.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = valueOf(slices.get(i).point(), key);
      around[i] = valueOf(slices.get(i).replicatePoint(), key);
    }
    int max = argMax(values);
    int min = argMin(values);
    Disparity.Builder result =
        Disparity.newBuilder()
            .addAllFeatureKeys(spec.getFeatureKeysList())
            .setMetricKey(key)
            .setSliceCount(slices.size())
            .setMaxSlice(slices.get(max).key().toProto())
            .setMaxValue(values[max])
            .setMinSlice(slices.get(min).key().toProto())
            .setMinValue(values[min]);
    List<double[]> replicates = replicateValues(slices, key);
    result.setDifference(estimate(values, around, replicates, GroupDisparities::difference));
    result.setRatio(estimate(values, around, replicates, GroupDisparities::ratio));
    double overallValue = overall == null ? Double.NaN : valueOf(overall.point(), key);
    if (Double.isFinite(overallValue)) {
      result.setOverallValue(overallValue);
      result.setWorstSlice(slices.get(farthest(values, overallValue)).key().toProto());
      List<double[]> withOverall = null;
      if (replicates != null) {
        withOverall = new ArrayList<>();
        for (int r = 0; r < replicates.size(); r++) {
          double[] replicate = replicates.get(r);
          double[] extended = Arrays.copyOf(replicate, replicate.length + 1);
          extended[replicate.length] = valueOf(overall.replicates().get(r), key);
          withOverall.add(extended);
        }
      }
      double[] pointWithOverall = Arrays.copyOf(values, values.length + 1);
      pointWithOverall[values.length] = overallValue;
      double[] aroundWithOverall = Arrays.copyOf(around, around.length + 1);
      aroundWithOverall[around.length] = valueOf(overall.replicatePoint(), key);
      result.setDifferenceToOverall(
          estimate(
              pointWithOverall,
              aroundWithOverall,
              withOverall,
              GroupDisparities::differenceToOverall));
    }
    result.setPValue(Double.NaN).setAdjustedPValue(Double.NaN);
    if (replicates != null) {
      double[] paired = new double[replicates.size()];
      for (int r = 0; r < paired.length; r++) {
        paired[r] = replicates.get(r)[max] - replicates.get(r)[min];
      }
      Interval interval = estimator.interval(around[max] - around[min], paired);
      double pairs = slices.size() * (slices.size() - 1) / 2.0;
      double p = twoSidedP(values[max] - values[min], interval);
      result.setPValue(Double.isNaN(p) ? p : Math.min(1, pairs * p));
    }
    return result;
  }

  /**
   * The values of {@code key} in each slice, per replicate; null without intervals or when a
   * replicate of a slice has no data or no finite value (the statistic then has no interval).
   */
  private List<double[]> replicateValues(List<SliceValues> slices, MetricKey key) {
    if (estimator == null) {
      return null;
    }
    List<double[]> result = new ArrayList<>();
    for (int r = 0; r < estimator.replicates(); r++) {
      double[] values = new double[slices.size()];
      for (int i = 0; i < values.length; i++) {
        Map<MetricKey, MetricValue> replicate = slices.get(i).replicates().get(r);
        values[i] = replicate == null ? Double.NaN : valueOf(replicate, key);
        if (!Double.isFinite(values[i])) {
          return null;
        }
      }
      result.add(values);
    }
    return result;
  }

  /**
   * The statistic of the point values, with its interval from the replicates: computed around the
   * statistic at the replicates' resolution ({@code around}) and moved by the difference, as for a
   * metric's interval.
   */
  private Estimate estimate(
      double[] point,
      double[] around,
      List<double[]> replicates,
      ToDoubleFunction<double[]> statistic) {
    double value = statistic.applyAsDouble(point);
    double centre = statistic.applyAsDouble(around);
    Estimate.Builder estimate = Estimate.newBuilder().setValue(value);
    if (replicates == null || !Double.isFinite(value) || !Double.isFinite(centre)) {
      return estimate.build();
    }
    double[] values = new double[replicates.size()];
    for (int r = 0; r < values.length; r++) {
      values[r] = statistic.applyAsDouble(replicates.get(r));
      if (!Double.isFinite(values[r])) {
        return estimate.build();
      }
    }
    Interval interval = estimator.interval(centre, values);
    double shift = value - centre;
    return estimate
        .setHasInterval(true)
        .setLowerBound(interval.lower() + shift)
        .setUpperBound(interval.upper() + shift)
        .setStandardError(interval.standardError())
        .setDegreesOfFreedom(interval.degreesOfFreedom())
        .build();
  }

  private static double valueOf(Map<MetricKey, MetricValue> values, MetricKey key) {
    MetricValue value = values == null ? null : values.get(key);
    return value == null || !value.hasDoubleValue()
        ? Double.NaN
        : value.getDoubleValue().getValue();
  }

  static double difference(double[] values) {
    return values[argMax(values)] - values[argMin(values)];
  }

  static double ratio(double[] values) {
    double max = values[argMax(values)];
    return max == 0 ? Double.NaN : values[argMin(values)] / max;
  }

  /** The largest |slice − Overall|, Overall being the last value. */
  static double differenceToOverall(double[] valuesAndOverall) {
    int n = valuesAndOverall.length - 1;
    double overall = valuesAndOverall[n];
    return Math.abs(
        valuesAndOverall[farthest(Arrays.copyOf(valuesAndOverall, n), overall)] - overall);
  }

  private static int farthest(double[] values, double from) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (Math.abs(values[i] - from) > Math.abs(values[best] - from)) {
        best = i;
      }
    }
    return best;
  }

  private static int argMax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int argMin(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] < values[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The two-sided p-value of {@code value} = 0 given its interval's standard error and dof; NaN
   * when the replicates do not vary (e.g. an FPR of 1 from three negatives stays 1 in every
   * replicate): resampling so few examples cannot measure the spread, which is no evidence.
   */
  private static double twoSidedP(double value, Interval interval) {
    if (!(interval.standardError() > 0) || !Double.isFinite(value)) {
      return Double.NaN;
    }
    double t = Math.abs(value / interval.standardError());
    TDistribution distribution = new TDistribution(null, interval.degreesOfFreedom(), 1e-15);
    return 2 * distribution.cumulativeProbability(-t);
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
      d.setSignificant(running < 1 - level);
    }
  }
}
