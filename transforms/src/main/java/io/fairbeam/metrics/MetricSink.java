package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.PlotData;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.util.function.Supplier;
import org.apache.beam.sdk.annotations.Internal;

/** Receives the values a {@link MetricDefinition} derives for one slice. */
@Internal
public interface MetricSink {
  /** One metric value under TFMA's key {@code name}. */
  void metric(String name, boolean exampleWeighted, MetricValue value);

  /**
   * The rate just written under {@code name} as a proportion of (effective) examples, for
   * Fairbeam's score intervals and tests (see {@link io.fairbeam.stats}); only metrics that are
   * such a share (the confusion-matrix rates) give one.
   */
  default void proportion(String name, boolean exampleWeighted, Proportion value) {}

  /**
   * The rate just written under {@code name} counts the examples {@code share} says at {@code
   * threshold}: a candidate's change from its baseline can then be judged on the examples the two
   * decide differently. Only rates whose denominator the labels fix give one.
   */
  default void pairable(String name, boolean exampleWeighted, double threshold, LabelShare share) {}

  /**
   * The ROC AUC just written under {@code name} with DeLong's variance from the calibration
   * histogram (NaN with fewer than two positives or negatives), for Fairbeam's decision tests;
   * computed only by a sink that keeps it (not for a replicate).
   */
  default void auc(
      String name, boolean exampleWeighted, Supplier<DeLongAucInterval.Estimate> value) {}

  /** One plot under TFMA's plot key {@code name}. */
  void plot(String name, boolean exampleWeighted, PlotData value);
}
