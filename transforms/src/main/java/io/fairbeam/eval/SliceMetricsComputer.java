package io.fairbeam.eval;

import com.google.protobuf.BoolValue;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.metrics.MetricSink;
import io.fairbeam.metrics.SliceAccumulator;
import io.fairbeam.metrics.SliceStatistics;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotData;
import io.fairbeam.proto.tfma.PlotKey;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.slice.SliceKey;

/**
 * Turns one slice's finished accumulator into TFMA's {@code MetricsForSlice} and {@code
 * PlotsForSlice}: the single path from accumulator to metric value to proto.
 *
 * <p>A non-Overall slice with fewer examples than {@code min_slice_size} gets only TFMA's {@code
 * __ERROR__} message, so no statistic of a small group leaks.
 */
public final class SliceMetricsComputer {
  /** TFMA's key for a per-slice error message. */
  public static final String ERROR_KEY = "__ERROR__";

  /**
   * Plots TFMA writes without their name, merged into one {@code PlotData} per key (its writer
   * keeps this layout for compatibility with the viewer).
   */
  private static final java.util.Set<String> MERGED_PLOT_NAMES = java.util.Set.of(
      io.fairbeam.metrics.ConfusionMatrixPlot.DEFAULT_NAME,
      io.fairbeam.metrics.CalibrationPlot.DEFAULT_NAME);

  private final EvalPlan plan;

  public SliceMetricsComputer(EvalPlan plan) {
    this.plan = plan;
  }

  /** The metrics and plots of one slice. */
  public record Result(MetricsForSlice metrics, PlotsForSlice plots) {}

  /** Whether {@code min_slice_size} suppresses this slice. */
  public boolean suppressed(SliceKey key, SliceAccumulator accumulator) {
    return plan.minSliceSize() > 1
        && !key.isOverall()
        && accumulator.exampleCount() < plan.minSliceSize();
  }

  // TFMA still carries __ERROR__ messages in the deprecated map fields.
  @SuppressWarnings("deprecation")
  public Result compute(SliceKey key, SliceAccumulator accumulator) {
    MetricsForSlice.Builder metrics = MetricsForSlice.newBuilder().setSliceKey(key.toProto());
    PlotsForSlice.Builder plots = PlotsForSlice.newBuilder().setSliceKey(key.toProto());
    if (suppressed(key, accumulator)) {
      String message = "Example count for this slice key is lower than the minimum required "
          + "value: " + plan.minSliceSize() + ". No data is aggregated for this slice.";
      metrics.putMetrics(ERROR_KEY, MetricValue.newBuilder().setDebugMessage(message).build());
      plots.putPlots(ERROR_KEY, PlotData.newBuilder().setDebugMessage(message).build());
      return new Result(metrics.build(), plots.build());
    }
    SliceStatistics statistics = new SliceStatistics(accumulator);
    MetricSink sink = new MetricSink() {
      @Override
      public void metric(String name, boolean exampleWeighted, MetricValue value) {
        metrics.addMetricKeysAndValuesBuilder()
            .setKey(MetricKey.newBuilder()
                .setName(name)
                .setExampleWeighted(BoolValue.of(exampleWeighted)))
            .setValue(value);
      }

      // TFMA merges the plots with default names into one PlotData under a nameless key.
      private final java.util.Map<PlotKey, PlotData.Builder> merged = new java.util.HashMap<>();

      @Override
      public void plot(String name, boolean exampleWeighted, PlotData value) {
        PlotKey.Builder key =
            PlotKey.newBuilder().setExampleWeighted(BoolValue.of(exampleWeighted));
        if (!MERGED_PLOT_NAMES.contains(name)) {
          plots.addPlotKeysAndValuesBuilder().setKey(key.setName(name)).setValue(value);
          return;
        }
        PlotData.Builder data = merged.get(key.build());
        if (data == null) {
          data = plots.addPlotKeysAndValuesBuilder().setKey(key).getValueBuilder();
          merged.put(key.build(), data);
        }
        data.mergeFrom(value);
      }
    };
    for (MetricDefinition metric : plan.metrics()) {
      metric.compute(statistics, sink);
    }
    return new Result(metrics.build(), plots.build());
  }
}
