package io.fairbeam.metrics;

import java.io.Serializable;

/**
 * One configured metric (a {@code MetricConfig} of the EvalConfig): it declares what the shared
 * per-slice accumulator must collect for it, and derives its values from that accumulator.
 */
public interface MetricDefinition extends Serializable {
  /** Declares the thresholds and histograms this metric needs. */
  void declareNeeds(AccumulatorSpec.Builder needs);

  /** Derives this metric's values (and plots) for one slice. */
  void compute(SliceStatistics slice, MetricSink sink);
}
