package io.fairbeam.metrics;

import java.util.List;

/**
 * Tjur's coefficient of discrimination, TFMA's {@code CoefficientOfDiscrimination} (the mean
 * prediction of the positives minus that of the negatives) and {@code
 * RelativeCoefficientOfDiscrimination} (their ratio). Labels count fractionally, as TFMA counts
 * them: w·y towards the positives and w·(1 − y) towards the negatives. NaN when either side weighs
 * nothing (and, for the ratio, when the negatives' predictions sum to 0).
 */
final class TjurDiscrimination implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final boolean relative;
  private final String name;
  private final boolean weighted;

  TjurDiscrimination(boolean relative, MetricArgs args, boolean weighted) {
    this.relative = relative;
    this.name =
        args.string("name")
            .orElse(
                relative
                    ? "relative_coefficient_of_discrimination"
                    : "coefficient_of_discrimination");
    this.weighted = weighted;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addTerm(RegressionTerm.LABEL_TIMES_PREDICTION);
    needs.addTerm(RegressionTerm.NEGATIVE_LABEL_TIMES_PREDICTION);
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    SliceAccumulator acc = slice.accumulator();
    double positives = acc.weightedLabelSum();
    double negatives = acc.weightedExampleCount() - positives;
    double positivePredictions = acc.termSum(RegressionTerm.LABEL_TIMES_PREDICTION);
    double negativePredictions = acc.termSum(RegressionTerm.NEGATIVE_LABEL_TIMES_PREDICTION);
    double value = Double.NaN;
    if (positives != 0 && negatives != 0 && !(relative && negativePredictions == 0)) {
      double positiveMean = positivePredictions / positives;
      double negativeMean = negativePredictions / negatives;
      value = relative ? positiveMean / negativeMean : positiveMean - negativeMean;
    }
    sink.metric(name, weighted, MetricValues.ofDouble(value));
  }

  @Override
  public boolean needsBinaryLabels() {
    return false;
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }
}
