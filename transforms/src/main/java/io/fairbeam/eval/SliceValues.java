package io.fairbeam.eval;

import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * One slice's metric values, for comparing slices with each other: the point estimates and, with
 * confidence intervals, the same metrics in every replicate (null for a replicate without data), so
 * that a comparison of two slices can be computed replicate by replicate — paired.
 *
 * @param suppressed whether {@code min_slice_size} hides this slice (its values are then empty)
 * @param replicatePoint the point estimates at the replicates' resolution (see {@link
 *     io.fairbeam.metrics.IntervalValues}); the same as {@code point} without intervals
 * @param replicates one map per replicate; empty without confidence intervals
 * @param exampleCount the slice's examples (unweighted)
 * @param proportions the rates among the point estimates that are shares of examples, as such
 *     (estimate and effective number of examples): what Fairbeam's decision tests compare
 * @param aucs the ROC AUCs among them with DeLong's variance, likewise
 */
@Internal
public record SliceValues(
    SliceKey key,
    boolean suppressed,
    Map<MetricKey, MetricValue> point,
    Map<MetricKey, MetricValue> replicatePoint,
    List<Map<MetricKey, MetricValue>> replicates,
    long exampleCount,
    Map<MetricKey, Proportion> proportions,
    Map<MetricKey, DeLongAucInterval.Estimate> aucs) {

  /**
   * A slice's values without counts: a suppressed slice, or a test's slice (every slice counts as
   * large enough, and no metric as a rate).
   */
  public SliceValues(
      SliceKey key,
      boolean suppressed,
      Map<MetricKey, MetricValue> point,
      Map<MetricKey, MetricValue> replicatePoint,
      List<Map<MetricKey, MetricValue>> replicates) {
    this(key, suppressed, point, replicatePoint, replicates, Long.MAX_VALUE, Map.of(), Map.of());
  }
}
