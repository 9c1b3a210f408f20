package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/** AUC by Keras' Riemann sums, by hand and against the exact rank statistic. */
public class AucTest {
  @Test
  public void kerasDocumentationExample() {
    // tf.keras.metrics.AUC(num_thresholds=3) on labels [0,0,1,1], predictions [0,0.5,0.3,0.9]:
    // tp=[2,1,0] fp=[2,0,0] fn=[0,1,2] tn=[0,2,2] -> 0.75.
    ConfusionCounts[] counts = {
      new ConfusionCounts(-1e-7, 2, 2, 0, 0),
      new ConfusionCounts(0.5, 1, 0, 2, 1),
      new ConfusionCounts(1 + 1e-7, 0, 0, 2, 2),
    };
    assertEquals(0.75, Auc.area(counts, Auc.Curve.ROC, Auc.SummationMethod.INTERPOLATION), 1e-12);
    assertEquals(0.5, Auc.area(counts, Auc.Curve.ROC, Auc.SummationMethod.MINORING), 1e-12);
    assertEquals(1.0, Auc.area(counts, Auc.Curve.ROC, Auc.SummationMethod.MAJORING), 1e-12);
  }

  @Test
  public void histogramRocAucApproachesExactRankAuc() {
    Random random = new Random(11);
    int n = 4000;
    double[] predictions = new double[n];
    int[] labels = new int[n];
    CalibrationHistogram histogram = new CalibrationHistogram(10000);
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(2);
      predictions[i] =
          Math.min(1, Math.max(0, 0.5 + (labels[i] - 0.5) * 0.3 + random.nextGaussian() * 0.25));
      histogram.add(predictions[i], labels[i], 1.0);
    }
    double exact = exactAuc(predictions, labels);
    ConfusionCounts[] counts =
        histogram.confusionCountsAt(CalibrationHistogram.interpolatedThresholds(10000));
    double approximate = Auc.area(counts, Auc.Curve.ROC, Auc.SummationMethod.INTERPOLATION);
    assertEquals(exact, approximate, 2e-3);
    double pr = Auc.area(counts, Auc.Curve.PR, Auc.SummationMethod.INTERPOLATION);
    assertEquals(exactAveragePrecision(predictions, labels), pr, 1e-2);
  }

  /** Mann-Whitney: the share of (positive, negative) pairs ordered correctly, ties half. */
  private static double exactAuc(double[] p, int[] y) {
    double correct = 0;
    long pairs = 0;
    for (int i = 0; i < p.length; i++) {
      if (y[i] != 1) {
        continue;
      }
      for (int j = 0; j < p.length; j++) {
        if (y[j] != 0) {
          continue;
        }
        pairs++;
        correct += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
      }
    }
    return correct / pairs;
  }

  private static double exactAveragePrecision(double[] p, int[] y) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
    int positives = 0;
    for (int label : y) {
      positives += label;
    }
    double sum = 0;
    int tp = 0;
    for (int k = 0; k < order.length; k++) {
      if (y[order[k]] == 1) {
        tp++;
        sum += tp / (double) (k + 1);
      }
    }
    return sum / positives;
  }
}
