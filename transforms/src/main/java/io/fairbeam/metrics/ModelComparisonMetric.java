package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * A metric that compares a candidate model with its baseline on the same examples (TFMA's flip
 * rates, its symmetric prediction difference): nothing per model, its values written for each
 * candidate from the accumulators' {@link PairedCounts} by {@link #compare}, which the spec is told
 * to keep.
 */
@Internal
abstract class ModelComparisonMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** Asks for the paired counts; a subclass adds the thresholds it compares at. */
  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.requirePairing();
  }

  /** Nothing per model. */
  @Override
  public final void compute(SliceStatistics slice, MetricSink sink) {}

  @Override
  public final boolean comparesModels() {
    return true;
  }

  @Override
  public abstract void compare(PairedCounts paired, double[] thresholds, MetricSink sink);

  @Override
  public boolean takesClassWeights() {
    return false;
  }
}
