package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold;
import io.fairbeam.proto.tfma.PlotData;
import java.util.Arrays;
import java.util.List;

/**
 * TFMA's {@code ScoreDistributionPlot}: how a slice's scores are distributed, as TFMA 0.52 writes
 * it. TFMA computes exact confusion matrices at {@code -1e-6} and {@code i / num_thresholds}
 * (default 1,000) with each example's score standing in for its label, then moves the false
 * negatives into the true negatives and the false positives into the true positives and zeroes
 * precision and recall: the true negatives at a threshold are the weight of the scores at or below
 * it, the true positives the weight above it. The other fields (F1, accuracy, false positive and
 * omission rates) keep the values of the score-as-label matrices, as in TFMA.
 */
final class ScoreDistributionPlot implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final double[] thresholds;
  private final boolean weighted;

  ScoreDistributionPlot(MetricArgs args, boolean weighted) {
    this.name = args.string("name").orElse("score_distribution_plot");
    int numThresholds = args.integer("num_thresholds", 2, MetricArgs.MAX_COUNT).orElse(1000);
    this.thresholds = new double[numThresholds + 2];
    thresholds[0] = -1e-6;
    for (int i = 0; i <= numThresholds; i++) {
      thresholds[i + 1] = i * 1.0 / numThresholds;
    }
    this.weighted = weighted;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addScoreThresholds(Arrays.stream(thresholds).boxed().toList());
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    ConfusionCounts[] all = slice.scoreCounts();
    double[] kept = slice.accumulator().spec().scoreThresholds();
    ConfusionCounts[] counts = new ConfusionCounts[thresholds.length];
    for (int i = 0; i < thresholds.length; i++) {
      counts[i] = all[Arrays.binarySearch(kept, thresholds[i])];
    }
    ConfusionMatrixAtThresholds.Builder plot = MetricValues.confusionMatrices(counts).toBuilder();
    for (ConfusionMatrixAtThreshold.Builder matrix : plot.getMatricesBuilderList()) {
      matrix
          .setTrueNegatives(matrix.getTrueNegatives() + matrix.getFalseNegatives())
          .setFalseNegatives(0)
          .setTruePositives(matrix.getTruePositives() + matrix.getFalsePositives())
          .setFalsePositives(0)
          .setPrecision(0)
          .setRecall(0);
    }
    sink.plot(name, weighted, PlotData.newBuilder().setConfusionMatrixAtThresholds(plot).build());
  }

  @Override
  public List<String> metricKeys() {
    return List.of();
  }

  @Override
  public List<String> plotKeys() {
    return List.of(name);
  }

  /** The scores' distribution needs no label. */
  @Override
  public boolean needsBinaryLabels() {
    return false;
  }
}
