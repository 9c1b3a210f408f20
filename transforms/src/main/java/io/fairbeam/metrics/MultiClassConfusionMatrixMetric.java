package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MultiClassConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.PlotData;
import java.util.List;
import java.util.TreeMap;

/**
 * TFMA's {@code MultiClassConfusionMatrixAtThresholds} (a metric, at 0.5 unless given {@code
 * thresholds}) and {@code MultiClassConfusionMatrixPlot} (a plot, at 0 unless given {@code
 * thresholds} or {@code num_thresholds}): a multi-class model's confusion matrices ({@link
 * MultiClassCounts}), computed from its classes, never from a binarized sub-key.
 *
 * <p>{@code num_thresholds} n gives TFMA's {@code −1e-7, 1/(n−1), …, (n−2)/(n−1), 1 + 1e-7},
 * written as 0 and 1 at the ends.
 */
final class MultiClassConfusionMatrixMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** TFMA's {@code _EPSILON} of its multi-class matrices. */
  private static final double EPSILON = 1e-7;

  private final String name;
  private final boolean plot;
  private final boolean weighted;

  /** The thresholds kept, ascending, and how each is written. */
  private final double[] thresholds;

  private final double[] writtenAs;

  private MultiClassConfusionMatrixMetric(
      String name, boolean plot, boolean weighted, TreeMap<Double, Double> thresholds) {
    this.name = name;
    this.plot = plot;
    this.weighted = weighted;
    this.thresholds = thresholds.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    this.writtenAs = thresholds.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * {@code MultiClassConfusionMatrixAtThresholds}: {@code thresholds} (default 0.5), {@code name}.
   */
  static MultiClassConfusionMatrixMetric atThresholds(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("multi_class_confusion_matrix_at_thresholds");
    List<Double> given = args.numbers("thresholds").orElse(List.of());
    TreeMap<Double, Double> thresholds = new TreeMap<>();
    (given.isEmpty() ? List.of(0.5) : given).forEach(t -> thresholds.put(t, t));
    return new MultiClassConfusionMatrixMetric(name, false, weighted, thresholds);
  }

  /**
   * {@code MultiClassConfusionMatrixPlot}: {@code thresholds} or {@code num_thresholds} (default:
   * the threshold 0), {@code name}.
   */
  static MultiClassConfusionMatrixMetric plot(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("multi_class_confusion_matrix_plot");
    List<Double> given = args.numbers("thresholds").orElse(null);
    Integer count = args.integer("num_thresholds", 1, MetricArgs.MAX_COUNT).orElse(null);
    if (given != null && count != null) {
      throw new MetricConfigException(
          "MultiClassConfusionMatrixPlot takes thresholds or num_thresholds, not both");
    }
    TreeMap<Double, Double> thresholds = new TreeMap<>();
    if (count != null) {
      thresholds.put(-EPSILON, 0.0);
      for (int i = 0; i < count - 2; i++) {
        double t = (i + 1) * 1.0 / (count - 1);
        thresholds.put(t, t);
      }
      thresholds.put(1.0 + EPSILON, 1.0);
    } else {
      (given == null ? List.of(0.0) : given).forEach(t -> thresholds.put(t, t));
    }
    return new MultiClassConfusionMatrixMetric(name, true, weighted, thresholds);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addMultiClassThresholds(java.util.Arrays.stream(thresholds).boxed().toList());
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    MultiClassConfusionMatrixAtThresholds matrices =
        slice.accumulator().multiClassCounts().toProto(thresholds, writtenAs);
    if (plot) {
      sink.plot(
          name,
          weighted,
          PlotData.newBuilder().setMultiClassConfusionMatrixAtThresholds(matrices).build());
    } else {
      sink.metric(
          name,
          weighted,
          MetricValue.newBuilder().setMultiClassConfusionMatrixAtThresholds(matrices).build());
    }
  }

  @Override
  public boolean readsClasses() {
    return true;
  }

  @Override
  public boolean needsBinaryLabels() {
    return false;
  }

  @Override
  public List<String> metricKeys() {
    return plot ? List.of() : List.of(name);
  }

  @Override
  public List<String> plotKeys() {
    return plot ? List.of(name) : List.of();
  }

  @Override
  public boolean takesClassWeights() {
    return false;
  }
}
