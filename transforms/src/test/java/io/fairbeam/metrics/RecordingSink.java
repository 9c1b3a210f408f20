package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.PlotData;
import java.util.ArrayList;
import java.util.List;

/** A {@link MetricSink} for tests: keeps every metric and plot written to it, in order. */
final class RecordingSink implements MetricSink {
  final List<String> metricNames = new ArrayList<>();
  final List<MetricValue> metrics = new ArrayList<>();
  final List<Boolean> weighted = new ArrayList<>();
  final List<String> plotNames = new ArrayList<>();
  final List<PlotData> plots = new ArrayList<>();

  @Override
  public void metric(String name, boolean isWeighted, MetricValue value) {
    metricNames.add(name);
    metrics.add(value);
    weighted.add(isWeighted);
  }

  @Override
  public void plot(String name, boolean isWeighted, PlotData value) {
    plotNames.add(name);
    plots.add(value);
  }

  /** What {@code metric} writes for a slice of {@code examples}: (label, prediction[, weight]). */
  static RecordingSink compute(MetricDefinition metric, double[][] examples) {
    AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
    metric.declareNeeds(needs);
    SliceAccumulator accumulator = new SliceAccumulator(needs.build());
    for (double[] e : examples) {
      accumulator.add(e[0], e[1], e.length > 2 ? e[2] : 1);
    }
    RecordingSink sink = new RecordingSink();
    metric.compute(new SliceStatistics(accumulator), sink);
    return sink;
  }
}
