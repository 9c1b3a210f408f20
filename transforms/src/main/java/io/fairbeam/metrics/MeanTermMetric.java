package io.fairbeam.metrics;

import java.util.List;

/**
 * The weighted mean of a per-example {@link ExampleTerm}: TFMA's {@code MeanAbsoluteError}, {@code
 * MeanSquaredError}, {@code MeanAbsolutePercentageError}, {@code MeanSquaredLogarithmicError}
 * (examples whose error is NaN left out, as TFMA leaves them out) and {@code BinaryCrossEntropy}.
 * NaN when no example weighs anything, as in TFMA.
 */
final class MeanTermMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final ExampleTerm term;
  private final boolean weighted;

  MeanTermMetric(String name, ExampleTerm term, boolean weighted) {
    this.name = name;
    this.term = term;
    this.weighted = weighted;
  }

  /**
   * TFMA's {@code BinaryCrossEntropy} ({@code from_logits}, {@code label_smoothing}, {@code name}).
   */
  static MeanTermMetric binaryCrossEntropy(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("binary_crossentropy");
    boolean fromLogits = args.bool("from_logits").orElse(false);
    double smoothing = args.number("label_smoothing").orElse(0.0);
    if (!(smoothing >= 0 && smoothing <= 1)) {
      throw new MetricConfigException(
          "argument \"label_smoothing\" of " + name + " must be in [0, 1], got " + smoothing);
    }
    return new MeanTermMetric(name, new CrossEntropyTerm(smoothing, fromLogits), weighted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addTerm(term);
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    SliceAccumulator acc = slice.accumulator();
    double value = ConfusionCounts.ratio(acc.termSum(term), acc.termWeight(term));
    sink.metric(name, weighted, MetricValues.ofDouble(value));
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }
}
