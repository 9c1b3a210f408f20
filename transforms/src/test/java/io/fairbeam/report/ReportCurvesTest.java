package io.fairbeam.report;

import static org.junit.Assert.assertEquals;

import com.google.protobuf.DoubleValue;
import io.fairbeam.proto.ReportCalibrationBin;
import io.fairbeam.proto.ReportPlots;
import io.fairbeam.proto.tfma.CalibrationHistogramBuckets;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold;
import io.fairbeam.proto.tfma.PlotData;
import java.util.List;
import org.junit.Test;

/** The report's curves, against TFMA's plots computed by hand. */
public class ReportCurvesTest {
  @Test
  public void rocAndPrecisionRecallKeepAtMost101PointsWithTheEnds() {
    ConfusionMatrixAtThresholds.Builder matrices = ConfusionMatrixAtThresholds.newBuilder();
    for (int i = 0; i <= 1000; i++) {
      double t = i / 1000.0;
      // 100 positives and 200 negatives, scored uniformly: tp = 100 (1 - t), fp = 200 (1 - t)^2.
      double tp = 100 * (1 - t);
      double fp = 200 * (1 - t) * (1 - t);
      matrices.addMatrices(
          ConfusionMatrixAtThreshold.newBuilder()
              .setThreshold(t)
              .setTruePositives(tp)
              .setFalseNegatives(100 - tp)
              .setFalsePositives(fp)
              .setTrueNegatives(200 - fp)
              .setPrecision(tp + fp > 0 ? tp / (tp + fp) : 1)
              .setRecall(tp / 100));
    }
    ReportPlots.Builder plots = ReportPlots.newBuilder();
    ReportCurves.add(
        PlotData.newBuilder().setConfusionMatrixAtThresholds(matrices).build(),
        plots,
        String::valueOf);
    assertEquals(101, plots.getRocCount());
    assertEquals(0.0, plots.getRoc(0).getThreshold(), 0);
    assertEquals(1.0, plots.getRoc(100).getThreshold(), 0);
    // At t = 0.3: tpr = 0.7, fpr = 0.49.
    var point = plots.getRoc(30);
    assertEquals(0.3, point.getThreshold(), 1e-12);
    assertEquals(0.49, point.getX(), 1e-12);
    assertEquals(0.7, point.getY(), 1e-12);
    assertEquals(0.7, plots.getPrecisionRecall(30).getX(), 1e-12);
    assertEquals(70 / (70 + 98.0), plots.getPrecisionRecall(30).getY(), 1e-12);

    // 1,002 thresholds (TFMA's, with one below 0): every 11th, and the last.
    matrices.addMatrices(0, ConfusionMatrixAtThreshold.newBuilder().setThreshold(-1e-7));
    ReportPlots.Builder more = ReportPlots.newBuilder();
    ReportCurves.add(
        PlotData.newBuilder().setConfusionMatrixAtThresholds(matrices).build(),
        more,
        String::valueOf);
    assertEquals(92, more.getRocCount());
    assertEquals(1.0, more.getRoc(91).getThreshold(), 0);
  }

  /** A ScoreDistributionPlot (any name) is not a ROC curve, and the report leaves it out. */
  @Test
  public void aScoreDistributionIsNotDrawnAsARocCurve() {
    ConfusionMatrixAtThresholds.Builder distribution = ConfusionMatrixAtThresholds.newBuilder();
    ConfusionMatrixAtThresholds.Builder roc = ConfusionMatrixAtThresholds.newBuilder();
    for (int i = 0; i <= 10; i++) {
      distribution.addMatrices(
          ConfusionMatrixAtThreshold.newBuilder()
              .setThreshold(i / 10.0)
              .setTrueNegatives(i)
              .setTruePositives(10 - i)
              .setAccuracy(0.5));
      roc.addMatrices(
          ConfusionMatrixAtThreshold.newBuilder()
              .setThreshold(i / 10.0)
              .setTruePositives(10 - i)
              .setFalseNegatives(i)
              .setFalsePositives(10 - i)
              .setTrueNegatives(i)
              .setPrecision(0.5)
              .setRecall((10 - i) / 10.0));
    }
    io.fairbeam.proto.tfma.PlotsForSlice.Builder plots =
        io.fairbeam.proto.tfma.PlotsForSlice.newBuilder()
            .setSliceKey(io.fairbeam.proto.tfma.SliceKey.getDefaultInstance());
    plots
        .addPlotKeysAndValuesBuilder()
        .setKey(io.fairbeam.proto.tfma.PlotKey.newBuilder().setName("scores"))
        .setValue(PlotData.newBuilder().setConfusionMatrixAtThresholds(distribution));
    assertEquals(0, ReportDataReader.plots(plots.build(), SeriesNames.BY_ID).size());
    plots
        .addPlotKeysAndValuesBuilder()
        .setKey(io.fairbeam.proto.tfma.PlotKey.newBuilder().setName("confusion_matrix_plot"))
        .setValue(PlotData.newBuilder().setConfusionMatrixAtThresholds(roc));
    List<ReportPlots> read = ReportDataReader.plots(plots.build(), SeriesNames.BY_ID);
    assertEquals(1, read.size());
    assertEquals(11, read.get(0).getRocCount());
  }

  @Test
  public void calibrationSumsTheBucketsIntoTwentyBins() {
    CalibrationHistogramBuckets.Builder buckets = CalibrationHistogramBuckets.newBuilder();
    // Under- and overflow buckets, and two fine buckets inside [0.05, 0.1).
    buckets.addBuckets(bucket(Double.NEGATIVE_INFINITY, 0, 2, 0, -0.2));
    buckets.addBuckets(bucket(0.0501, 0.0502, 3, 1, 0.1503));
    buckets.addBuckets(bucket(0.0999, 0.1, 1, 1, 0.0999));
    buckets.addBuckets(bucket(0.5, 0.5001, 0, 0, 0));
    buckets.addBuckets(bucket(1, Double.POSITIVE_INFINITY, 4, 4, 4.4));
    ReportPlots.Builder plots = ReportPlots.newBuilder();
    ReportCurves.add(
        PlotData.newBuilder().setCalibrationHistogramBuckets(buckets).build(),
        plots,
        String::valueOf);
    assertEquals(3, plots.getCalibrationCount());
    ReportCalibrationBin first = plots.getCalibration(0);
    assertEquals(0, first.getLower(), 0);
    assertEquals(2, first.getWeight(), 0);
    ReportCalibrationBin second = plots.getCalibration(1);
    assertEquals(0.05, second.getLower(), 0);
    assertEquals(0.1, second.getUpper(), 0);
    assertEquals(4, second.getWeight(), 0);
    assertEquals(0.5, second.getMeanLabel(), 1e-15);
    assertEquals((0.1503 + 0.0999) / 4, second.getMeanPrediction(), 1e-15);
    ReportCalibrationBin last = plots.getCalibration(2);
    assertEquals(0.95, last.getLower(), 0);
    assertEquals(1.1, last.getMeanPrediction(), 1e-15);
  }

  private static CalibrationHistogramBuckets.Bucket bucket(
      double lower, double upper, double weight, double label, double prediction) {
    return CalibrationHistogramBuckets.Bucket.newBuilder()
        .setLowerThresholdInclusive(lower)
        .setUpperThresholdExclusive(upper)
        .setNumWeightedExamples(DoubleValue.of(weight))
        .setTotalWeightedLabel(DoubleValue.of(label))
        .setTotalWeightedRefinedPrediction(DoubleValue.of(prediction))
        .build();
  }

  @Test
  public void aMultiClassMatrixBecomesASquareTableOverTheClassesThatOccur() {
    var matrix =
        io.fairbeam.proto.tfma.MultiClassConfusionMatrixAtThresholds.MultiClassConfusionMatrix
            .newBuilder()
            .setThreshold(0.5);
    int[][] entries = {{0, 2, 4}, {1, 1, 6}, {2, -1, 1}, {2, 2, 3}};
    for (int[] e : entries) {
      matrix
          .addEntriesBuilder()
          .setActualClassId(e[0])
          .setPredictedClassId(e[1])
          .setNumWeightedExamples(e[2]);
    }
    ReportPlots.Builder plots = ReportPlots.newBuilder();
    ReportCurves.add(
        PlotData.newBuilder()
            .setMultiClassConfusionMatrixAtThresholds(
                io.fairbeam.proto.tfma.MultiClassConfusionMatrixAtThresholds.newBuilder()
                    .addMatrices(matrix))
            .build(),
        plots,
        c -> c < 0 ? "none" : List.of("light", "medium", "dark").get(c));
    // Classes -1, 0, 1, 2; rows actual, columns predicted.
    assertEquals(List.of(-1, 0, 1, 2), plots.getClassMatrix().getClassesList());
    assertEquals(
        List.of(
            0.0, 0.0, 0.0, 0.0, //
            0.0, 0.0, 0.0, 4.0, //
            0.0, 0.0, 6.0, 0.0, //
            1.0, 0.0, 0.0, 3.0),
        plots.getClassMatrix().getWeightsList());
    assertEquals(0.5, plots.getClassMatrix().getThreshold(), 0);
    assertEquals(
        List.of("none", "light", "medium", "dark"), plots.getClassMatrix().getClassLabelsList());
  }
}
