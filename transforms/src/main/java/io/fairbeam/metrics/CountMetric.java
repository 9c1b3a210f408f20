package io.fairbeam.metrics;

import io.fairbeam.io.TfmaNames;
import java.util.List;

/**
 * TFMA's {@code ExampleCount} and {@code WeightedExampleCount} (since TFMA 0.44 the same metric
 * under two names): the number of examples, or the sum of example weights when the metrics are
 * weighted, keyed with the run's {@code example_weighted}.
 */
final class CountMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** TFMA's default names. */
  public static final String EXAMPLE_COUNT = TfmaNames.EXAMPLE_COUNT;

  public static final String WEIGHTED_EXAMPLE_COUNT = TfmaNames.WEIGHTED_EXAMPLE_COUNT;

  private final String name;
  private final boolean weighted;

  public CountMetric(String name, boolean weighted) {
    this.name = name;
    this.weighted = weighted;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {}

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    SliceAccumulator acc = slice.accumulator();
    double value = weighted ? acc.exampleWeightSum() : acc.exampleCount();
    sink.metric(name, weighted, MetricValues.ofDouble(value));
  }

  @Override
  public boolean needsBinaryLabels() {
    return false;
  }

  @Override
  public boolean readsLabelsOrPredictions() {
    return false;
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }

  /** TFMA computes no interval for a count. */
  @Override
  public boolean hasConfidenceInterval() {
    return false;
  }

  @Override
  public boolean takesClassWeights() {
    return false;
  }
}
