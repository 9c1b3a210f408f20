package io.fairbeam.report;

import io.fairbeam.proto.ReportCalibrationBin;
import io.fairbeam.proto.ReportClassMatrix;
import io.fairbeam.proto.ReportCurvePoint;
import io.fairbeam.proto.ReportPlots;
import io.fairbeam.proto.tfma.CalibrationHistogramBuckets;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold;
import io.fairbeam.proto.tfma.MultiClassConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.PlotData;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Turns TFMA's plots into the curves a report draws: ROC and precision-recall from the confusion
 * matrices at thresholds (ConfusionMatrixPlot's 1,000 thresholds thinned to at most {@value
 * #MAX_POINTS} points, the first and last kept), and calibration from the histogram
 * (CalibrationPlot's 10,000 buckets summed into {@value #CALIBRATION_BINS} equal score bins). A
 * page of many slices stays small, and every point drawn is one the result holds.
 */
final class ReportCurves {
  static final int MAX_POINTS = 101;
  static final int CALIBRATION_BINS = 20;

  private ReportCurves() {}

  /**
   * Adds the curves in {@code plot} to {@code plots}; {@code classLabel} names a class id in a
   * multi-class matrix.
   */
  static void add(PlotData plot, ReportPlots.Builder plots, IntFunction<String> classLabel) {
    if (plot.hasConfusionMatrixAtThresholds()) {
      addConfusionCurves(plot.getConfusionMatrixAtThresholds(), plots);
    }
    if (plot.hasCalibrationHistogramBuckets()) {
      addCalibration(plot.getCalibrationHistogramBuckets(), plots);
    }
    if (plot.hasMultiClassConfusionMatrixAtThresholds()
        && plot.getMultiClassConfusionMatrixAtThresholds().getMatricesCount() > 0) {
      plots.setClassMatrix(
          classMatrix(plot.getMultiClassConfusionMatrixAtThresholds().getMatrices(0), classLabel));
    }
  }

  /**
   * One multi-class matrix as the page's square table over the classes that occur in it, each
   * labelled by {@code classLabel}.
   */
  static ReportClassMatrix classMatrix(
      MultiClassConfusionMatrixAtThresholds.MultiClassConfusionMatrix matrix,
      IntFunction<String> classLabel) {
    TreeSet<Integer> classes = new TreeSet<>();
    for (MultiClassConfusionMatrixAtThresholds.Entry e : matrix.getEntriesList()) {
      classes.add(e.getActualClassId());
      classes.add(e.getPredictedClassId());
    }
    List<Integer> order = new ArrayList<>(classes);
    double[] weights = new double[order.size() * order.size()];
    for (MultiClassConfusionMatrixAtThresholds.Entry e : matrix.getEntriesList()) {
      int row = order.indexOf(e.getActualClassId());
      int column = order.indexOf(e.getPredictedClassId());
      weights[row * order.size() + column] += e.getNumWeightedExamples();
    }
    ReportClassMatrix.Builder result =
        ReportClassMatrix.newBuilder().setThreshold(matrix.getThreshold()).addAllClasses(order);
    for (double w : weights) {
      result.addWeights(w);
    }
    order.forEach(c -> result.addClassLabels(classLabel.apply(c)));
    return result.build();
  }

  private static void addConfusionCurves(
      ConfusionMatrixAtThresholds matrices, ReportPlots.Builder plots) {
    List<ConfusionMatrixAtThreshold> all = matrices.getMatricesList();
    int n = all.size();
    if (n == 0) {
      return;
    }
    int step = Math.max(1, (n - 1 + MAX_POINTS - 2) / (MAX_POINTS - 1));
    for (int i = 0; i < n; i += step) {
      addPoint(all.get(i), plots);
      if (i + step >= n && i != n - 1) {
        addPoint(all.get(n - 1), plots);
      }
    }
  }

  private static void addPoint(ConfusionMatrixAtThreshold m, ReportPlots.Builder plots) {
    double tp = m.getTruePositives();
    double fp = m.getFalsePositives();
    double tn = m.getTrueNegatives();
    double fn = m.getFalseNegatives();
    double tpr = tp + fn > 0 ? tp / (tp + fn) : Double.NaN;
    double fpr = fp + tn > 0 ? fp / (fp + tn) : Double.NaN;
    plots.addRoc(ReportCurvePoint.newBuilder().setThreshold(m.getThreshold()).setX(fpr).setY(tpr));
    plots.addPrecisionRecall(
        ReportCurvePoint.newBuilder()
            .setThreshold(m.getThreshold())
            .setX(m.getRecall())
            .setY(m.getPrecision()));
  }

  private static void addCalibration(
      CalibrationHistogramBuckets buckets, ReportPlots.Builder plots) {
    double[] weight = new double[CALIBRATION_BINS];
    double[] label = new double[CALIBRATION_BINS];
    double[] prediction = new double[CALIBRATION_BINS];
    for (CalibrationHistogramBuckets.Bucket bucket : buckets.getBucketsList()) {
      double w = bucket.getNumWeightedExamples().getValue();
      if (w == 0) {
        continue;
      }
      // The buckets below 0 and above 1 (TFMA's under- and overflow) join the first and last bins.
      double lower = bucket.getLowerThresholdInclusive();
      int bin = (int) Math.floor(lower * CALIBRATION_BINS);
      bin = Math.max(0, Math.min(CALIBRATION_BINS - 1, bin));
      weight[bin] += w;
      label[bin] += bucket.getTotalWeightedLabel().getValue();
      prediction[bin] += bucket.getTotalWeightedRefinedPrediction().getValue();
    }
    for (int bin = 0; bin < CALIBRATION_BINS; bin++) {
      if (weight[bin] == 0) {
        continue;
      }
      plots.addCalibration(
          ReportCalibrationBin.newBuilder()
              .setLower((double) bin / CALIBRATION_BINS)
              .setUpper((double) (bin + 1) / CALIBRATION_BINS)
              .setWeight(weight[bin])
              .setMeanPrediction(prediction[bin] / weight[bin])
              .setMeanLabel(label[bin] / weight[bin]));
    }
  }
}
