package io.fairbeam.metrics;

import java.util.List;

/**
 * TFMA's {@code MeanLabel} (Σw·label / Σw), {@code MeanPrediction} (Σw·prediction / Σw) and {@code
 * Calibration} (Σw·prediction / Σw·label); NaN on a zero denominator.
 */
final class MeanMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** Which ratio of sums. */
  public enum Kind {
    MEAN_LABEL("mean_label"),
    MEAN_PREDICTION("mean_prediction"),
    CALIBRATION("calibration");

    final String defaultName;

    Kind(String defaultName) {
      this.defaultName = defaultName;
    }
  }

  private final Kind kind;
  private final String name;
  private final boolean weighted;

  public MeanMetric(Kind kind, String name, boolean weighted) {
    this.kind = kind;
    this.name = name == null ? kind.defaultName : name;
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
    double value =
        switch (kind) {
          case MEAN_LABEL ->
              ConfusionCounts.ratio(acc.weightedLabelSum(), acc.weightedExampleCount());
          case MEAN_PREDICTION ->
              ConfusionCounts.ratio(acc.weightedPredictionSum(), acc.weightedExampleCount());
          case CALIBRATION ->
              ConfusionCounts.ratio(acc.weightedPredictionSum(), acc.weightedLabelSum());
        };
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
