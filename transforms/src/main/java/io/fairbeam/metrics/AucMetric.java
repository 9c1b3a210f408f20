package io.fairbeam.metrics;

import java.util.List;

/**
 * TFMA's {@code AUC} and {@code AUCPrecisionRecall}: the area under the ROC or PR curve over Keras'
 * interpolated thresholds ({@code num_thresholds}, default 10,000), with counts derived from the
 * calibration histogram exactly as TFMA derives them. The result approximates the exact rank-based
 * AUC to within the histogram's bucket width.
 */
final class AucMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final Auc.Curve curve;
  private final Auc.SummationMethod summationMethod;
  private final double[] thresholds;
  private final boolean weighted;

  public AucMetric(
      String name,
      Auc.Curve curve,
      Auc.SummationMethod summationMethod,
      int numThresholds,
      boolean weighted) {
    this.name = name;
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.thresholds = CalibrationHistogram.interpolatedThresholds(numThresholds);
    this.weighted = weighted;
  }

  /**
   * Builds the metric from its JSON arguments ({@code curve}, {@code summation_method}, {@code
   * num_thresholds}, {@code name}); {@code fixedCurve} is set for {@code AUCPrecisionRecall}.
   */
  public static AucMetric fromArgs(
      String defaultName, Auc.Curve fixedCurve, MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse(defaultName);
    Auc.Curve curve = fixedCurve;
    if (fixedCurve == null) {
      String text = args.string("curve").orElse("ROC");
      try {
        curve = Auc.Curve.parse(text);
      } catch (IllegalArgumentException e) {
        throw new MetricConfigException("curve of " + name + " must be ROC or PR, got " + text);
      }
    }
    String method = args.string("summation_method").orElse("interpolation");
    Auc.SummationMethod summation;
    try {
      summation = Auc.SummationMethod.parse(method);
    } catch (IllegalArgumentException e) {
      throw new MetricConfigException(
          "summation_method of "
              + name
              + " must be interpolation, minoring or majoring, got "
              + method);
    }
    int numThresholds =
        args.integer("num_thresholds", 2, MetricArgs.MAX_COUNT)
            .orElse(AccumulatorSpec.HISTOGRAM_BUCKETS);
    return new AucMetric(name, curve, summation, numThresholds, weighted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.requireHistogram();
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    ConfusionCounts[] counts = slice.histogramCountsAt(thresholds);
    sink.metric(name, weighted, MetricValues.ofDouble(Auc.area(counts, curve, summationMethod)));
    if (curve == Auc.Curve.ROC) {
      sink.auc(name, weighted, slice::deLong);
    }
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }

  @Override
  public boolean keyedByAggregation() {
    return true;
  }
}
