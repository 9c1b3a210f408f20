package io.fairbeam.metrics;

/**
 * TFMA's {@code ExampleCount} (examples, never weighted) and {@code WeightedExampleCount} (sum
 * of example weights, always marked weighted).
 */
public final class CountMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** Which count. */
  public enum Kind {
    EXAMPLE_COUNT("example_count"),
    WEIGHTED_EXAMPLE_COUNT("weighted_example_count");

    final String defaultName;

    Kind(String defaultName) {
      this.defaultName = defaultName;
    }
  }

  private final Kind kind;
  private final String name;

  public CountMetric(Kind kind, String name) {
    this.kind = kind;
    this.name = name == null ? kind.defaultName : name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {}

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    SliceAccumulator acc = slice.accumulator();
    if (kind == Kind.EXAMPLE_COUNT) {
      sink.metric(name, false, MetricValues.ofDouble(acc.exampleCount()));
    } else {
      sink.metric(name, true, MetricValues.ofDouble(acc.weightedExampleCount()));
    }
  }
}
