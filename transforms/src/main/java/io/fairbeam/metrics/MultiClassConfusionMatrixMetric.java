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
 * MultiClassCounts}); and {@code MultiLabelConfusionMatrixPlot} (a plot, at 0.5 unless given {@code
 * thresholds} or {@code num_thresholds}): a multi-label model's ({@link MultiLabelCounts}). Each is
 * computed from the model's classes, never from a binarized sub-key.
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
  private final boolean multiLabel;
  private final boolean weighted;

  /** The thresholds kept, ascending, and how each is written. */
  private final double[] thresholds;

  private final double[] writtenAs;

  private MultiClassConfusionMatrixMetric(
      String name,
      boolean plot,
      boolean multiLabel,
      boolean weighted,
      TreeMap<Double, Double> thresholds) {
    this.name = name;
    this.plot = plot;
    this.multiLabel = multiLabel;
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
    return new MultiClassConfusionMatrixMetric(name, false, false, weighted, thresholds);
  }

  /**
   * {@code MultiClassConfusionMatrixPlot}: {@code thresholds} or {@code num_thresholds} (default:
   * the threshold 0), {@code name}.
   */
  static MultiClassConfusionMatrixMetric plot(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("multi_class_confusion_matrix_plot");
    return new MultiClassConfusionMatrixMetric(
        name, true, false, weighted, plotThresholds(args, name, 0.0));
  }

  /**
   * {@code MultiLabelConfusionMatrixPlot}: {@code thresholds} or {@code num_thresholds} (default:
   * the threshold 0.5), {@code name}.
   */
  static MultiClassConfusionMatrixMetric multiLabelPlot(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("multi_label_confusion_matrix_plot");
    return new MultiClassConfusionMatrixMetric(
        name, true, true, weighted, plotThresholds(args, name, 0.5));
  }

  /** A plot's {@code thresholds}, or TFMA's for {@code num_thresholds}, else {@code standard}. */
  private static TreeMap<Double, Double> plotThresholds(
      MetricArgs args, String name, double standard) {
    List<Double> given = args.numbers("thresholds").orElse(null);
    Integer count = args.integer("num_thresholds", 1, MetricArgs.MAX_COUNT).orElse(null);
    if (given != null && count != null) {
      throw new MetricConfigException(name + " takes thresholds or num_thresholds, not both");
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
      (given == null ? List.of(standard) : given).forEach(t -> thresholds.put(t, t));
    }
    return thresholds;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    List<Double> kept = java.util.Arrays.stream(thresholds).boxed().toList();
    if (multiLabel) {
      needs.addMultiLabelThresholds(kept);
    } else {
      needs.addMultiClassThresholds(kept);
    }
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    if (multiLabel) {
      sink.plot(
          name,
          weighted,
          PlotData.newBuilder()
              .setMultiLabelConfusionMatrixAtThresholds(
                  slice.accumulator().multiLabelCounts().toProto(thresholds, writtenAs))
              .build());
      return;
    }
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
