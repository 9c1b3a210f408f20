package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.MetricValue;
import java.util.List;

/**
 * TFMA's {@code ConfusionMatrixAtThresholds}: the exact weighted confusion matrix at each listed
 * threshold, written as a structured {@code confusion_matrix_at_thresholds} value.
 */
final class ConfusionMatrixAtThresholdsMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_NAME = "confusion_matrix_at_thresholds";

  private final String name;
  private final double[] thresholds;
  private final boolean weighted;

  public ConfusionMatrixAtThresholdsMetric(String name, List<Double> thresholds, boolean weighted) {
    this.name = name;
    this.thresholds = thresholds.stream().mapToDouble(Double::doubleValue).toArray();
    this.weighted = weighted;
  }

  /** Builds the metric from its JSON arguments ({@code thresholds} required, {@code name}). */
  public static ConfusionMatrixAtThresholdsMetric fromArgs(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse(DEFAULT_NAME);
    List<Double> thresholds =
        args.thresholds("thresholds")
            .orElseThrow(
                () ->
                    new MetricConfigException(
                        "ConfusionMatrixAtThresholds needs \"thresholds\", e.g. "
                            + "'{\"thresholds\": [0.25, 0.5, 0.75]}'"));
    if (thresholds.isEmpty()) {
      throw new MetricConfigException("ConfusionMatrixAtThresholds needs at least one threshold");
    }
    return new ConfusionMatrixAtThresholdsMetric(name, thresholds, weighted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addThresholds(java.util.Arrays.stream(thresholds).boxed().toList());
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    ConfusionCounts[] counts = new ConfusionCounts[thresholds.length];
    for (int i = 0; i < thresholds.length; i++) {
      counts[i] = slice.countsAt(thresholds[i]);
    }
    sink.metric(
        name,
        weighted,
        MetricValue.newBuilder()
            .setConfusionMatrixAtThresholds(MetricValues.confusionMatrices(counts))
            .build());
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
