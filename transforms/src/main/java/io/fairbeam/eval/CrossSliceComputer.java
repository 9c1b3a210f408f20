package io.fairbeam.eval;

import io.fairbeam.metrics.MetricDiffs;
import io.fairbeam.proto.tfma.CrossSliceKey;
import io.fairbeam.proto.tfma.CrossSlicingSpec;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceSpecMatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's {@code cross_slicing_specs}: for each spec, every slice its {@code baseline_spec} applies
 * to is compared with every slice one of its {@code slicing_specs} applies to (or, when it has
 * none, every slice the baseline spec does not apply to), and every metric both slices have gets
 * the value baseline − comparison, written under a {@code cross_slice_key}. Model differences
 * ({@code is_diff}) are compared the same way. With confidence intervals, each comparison's
 * interval comes from the same difference in every replicate, so the two slices are paired.
 *
 * <p>Where TFMA fails (a run with {@code min_slice_size} and cross-slice specs), Fairbeam writes
 * the comparisons of a suppressed slice with TFMA's small-slice message instead of values, so no
 * statistic of a small slice can be recovered from a difference.
 */
@Internal
public final class CrossSliceComputer {
  private final List<CrossSlicingSpec> specs;
  private final SliceMetricsComputer slices;
  private final int minSliceSize;

  public CrossSliceComputer(EvalPlan plan) {
    this.specs = plan.config().getCrossSlicingSpecsList();
    this.slices = new SliceMetricsComputer(plan);
    this.minSliceSize = plan.minSliceSize();
  }

  /** Whether the config asks for any comparison. */
  public boolean any() {
    return !specs.isEmpty();
  }

  /**
   * Whether {@code slice} is the baseline of a comparison: a spec's baseline spec applies to it.
   */
  public boolean isBaseline(SliceKey slice) {
    for (CrossSlicingSpec spec : specs) {
      if (SliceSpecMatch.applies(spec.getBaselineSpec(), slice)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The comparisons of {@code comparison} with each of the {@code baselines} (the slices {@link
   * #isBaseline} accepts; others are ignored), in spec order, then baseline order.
   */
  public List<SliceMetricsComputer.Result> compare(
      SliceValues comparison, Collection<SliceValues> baselines) {
    List<SliceValues> sorted = new ArrayList<>(baselines);
    sorted.sort((a, b) -> a.key().compareTo(b.key()));
    List<SliceMetricsComputer.Result> results = new ArrayList<>();
    for (CrossSlicingSpec spec : specs) {
      boolean compared =
          spec.getSlicingSpecsCount() > 0
              ? SliceSpecMatch.appliesToAny(spec.getSlicingSpecsList(), comparison.key())
              : !SliceSpecMatch.applies(spec.getBaselineSpec(), comparison.key());
      if (!compared) {
        continue;
      }
      for (SliceValues baseline : sorted) {
        if (SliceSpecMatch.applies(spec.getBaselineSpec(), baseline.key())) {
          results.add(compare(baseline, comparison));
        }
      }
    }
    return results;
  }

  /** The comparisons of {@code all} slices at once: {@link #compare} in comparison order. */
  public List<SliceMetricsComputer.Result> compute(Collection<SliceValues> all) {
    List<SliceValues> sorted = new ArrayList<>(all);
    sorted.sort((a, b) -> a.key().compareTo(b.key()));
    List<SliceValues> baselines = new ArrayList<>();
    for (SliceValues slice : sorted) {
      if (isBaseline(slice.key())) {
        baselines.add(slice);
      }
    }
    List<SliceMetricsComputer.Result> results = new ArrayList<>();
    for (SliceValues comparison : sorted) {
      results.addAll(compare(comparison, baselines));
    }
    return results;
  }

  // TFMA carries the small-slice message in the deprecated map field.
  @SuppressWarnings("deprecation")
  private SliceMetricsComputer.Result compare(SliceValues baseline, SliceValues comparison) {
    CrossSliceKey key =
        CrossSliceKey.newBuilder()
            .setBaselineSliceKey(baseline.key().toProto())
            .setComparisonSliceKey(comparison.key().toProto())
            .build();
    MetricsForSlice.Builder metrics = MetricsForSlice.newBuilder().setCrossSliceKey(key);
    PlotsForSlice plots = PlotsForSlice.newBuilder().setCrossSliceKey(key).build();
    if (baseline.suppressed() || comparison.suppressed()) {
      metrics.putMetrics(
          SliceMetricsComputer.ERROR_KEY,
          MetricValue.newBuilder()
              .setDebugMessage(
                  "Example count for this slice key is lower than the minimum required value: "
                      + minSliceSize
                      + ". No data is aggregated for this slice.")
              .build());
      return new SliceMetricsComputer.Result(metrics.build(), plots, null);
    }
    Map<MetricKey, MetricValue> point = differences(baseline.point(), comparison.point());
    point.forEach((k, v) -> metrics.addMetricKeysAndValuesBuilder().setKey(k).setValue(v));
    if (slices.computesIntervals()) {
      List<Map<MetricKey, MetricValue>> replicates = new ArrayList<>();
      for (int r = 0; r < baseline.replicates().size(); r++) {
        Map<MetricKey, MetricValue> a = baseline.replicates().get(r);
        Map<MetricKey, MetricValue> b = comparison.replicates().get(r);
        replicates.add(a == null || b == null ? null : differences(a, b));
      }
      slices.addIntervals(
          metrics,
          point,
          differences(baseline.replicatePoint(), comparison.replicatePoint()),
          replicates);
    }
    return new SliceMetricsComputer.Result(metrics.build(), plots, null);
  }

  /** Baseline − comparison for every metric of {@code comparison} that {@code baseline} has. */
  private static Map<MetricKey, MetricValue> differences(
      Map<MetricKey, MetricValue> baseline, Map<MetricKey, MetricValue> comparison) {
    Map<MetricKey, MetricValue> result = new LinkedHashMap<>();
    comparison.forEach(
        (key, value) -> {
          MetricValue base = baseline.get(key);
          MetricValue diff = base == null ? null : MetricDiffs.diff(base, value);
          if (diff != null) {
            result.put(key, diff);
          }
        });
    return result;
  }
}
