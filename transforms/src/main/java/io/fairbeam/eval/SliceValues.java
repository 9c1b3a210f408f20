package io.fairbeam.eval;

import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.slice.SliceKey;
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
 */
@Internal
public record SliceValues(
    SliceKey key,
    boolean suppressed,
    Map<MetricKey, MetricValue> point,
    Map<MetricKey, MetricValue> replicatePoint,
    List<Map<MetricKey, MetricValue>> replicates) {}
