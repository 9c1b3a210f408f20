package io.fairbeam.metrics;

import java.util.List;

/**
 * TFMA's {@code SquaredPearsonCorrelation}: r² between labels and predictions over a slice's
 * weighted examples, from the sums of w, w·y, w·p, w·y², w·p² and w·y·p; NaN when either variance
 * is not positive.
 */
final class SquaredPearsonCorrelation implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final boolean weighted;

  SquaredPearsonCorrelation(MetricArgs args, boolean weighted) {
    this.name = args.string("name").orElse("squared_pearson_correlation");
    this.weighted = weighted;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addTerm(RegressionTerm.LABEL_SQUARED);
    needs.addTerm(RegressionTerm.PREDICTION_SQUARED);
    needs.addTerm(RegressionTerm.LABEL_TIMES_PREDICTION);
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    SliceAccumulator acc = slice.accumulator();
    double w = acc.weightedExampleCount();
    double value = Double.NaN;
    if (w > 0) {
      double y = acc.weightedLabelSum();
      double p = acc.weightedPredictionSum();
      double covariance = acc.termSum(RegressionTerm.LABEL_TIMES_PREDICTION) - y * p / w;
      double labels = acc.termSum(RegressionTerm.LABEL_SQUARED) - y * y / w;
      double predictions = acc.termSum(RegressionTerm.PREDICTION_SQUARED) - p * p / w;
      double denominator = labels * predictions;
      if (denominator > 0) {
        value = covariance * covariance / denominator;
      }
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
