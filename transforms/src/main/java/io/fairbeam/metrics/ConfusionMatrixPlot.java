package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.PlotData;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's {@code ConfusionMatrixPlot}: confusion matrices at {@code -1e-6} and {@code i /
 * num_thresholds} for {@code i = 0..num_thresholds} (default 1,000, so 1,002 matrices), derived
 * from the calibration histogram as TFMA derives them.
 */
@Internal
public final class ConfusionMatrixPlot implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_NAME = "confusion_matrix_plot";
  public static final int DEFAULT_NUM_THRESHOLDS = 1000;

  private final String name;
  private final double[] thresholds;
  private final boolean weighted;

  public ConfusionMatrixPlot(String name, int numThresholds, boolean weighted) {
    this.name = name;
    this.thresholds = new double[numThresholds + 2];
    thresholds[0] = -1e-6;
    for (int i = 0; i <= numThresholds; i++) {
      thresholds[i + 1] = i * 1.0 / numThresholds;
    }
    this.weighted = weighted;
  }

  /** Builds the plot from its JSON arguments ({@code num_thresholds}, {@code name}). */
  public static ConfusionMatrixPlot fromArgs(MetricArgs args, boolean weighted) {
    int numThresholds =
        args.integer("num_thresholds", 2, MetricArgs.MAX_COUNT).orElse(DEFAULT_NUM_THRESHOLDS);
    return new ConfusionMatrixPlot(
        args.string("name").orElse(DEFAULT_NAME), numThresholds, weighted);
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
    sink.plot(
        name,
        weighted,
        PlotData.newBuilder()
            .setConfusionMatrixAtThresholds(MetricValues.confusionMatrices(counts))
            .build());
  }

  @Override
  public List<String> metricKeys() {
    return List.of();
  }

  @Override
  public List<String> plotKeys() {
    return List.of(name);
  }
}
