package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/** Bucketed threshold counts against a direct count of {@code prediction > threshold}. */
public class ThresholdCountsTest {
  @Test
  public void matchesDirectCountingWithTiesAndFractionalLabels() {
    double[] thresholds = {0.0, 0.1, 0.25, 0.5, 0.5000001, 0.9, 1.0};
    Random random = new Random(7);
    ThresholdCounts counts = new ThresholdCounts(thresholds);
    double[][] expected = new double[thresholds.length][4]; // tp fp tn fn
    for (int i = 0; i < 20000; i++) {
      double prediction =
          random.nextInt(5) == 0
              ? thresholds[random.nextInt(thresholds.length)] // exactly on a threshold
              : random.nextDouble() * 1.2 - 0.1;
      double label = random.nextInt(4) == 0 ? random.nextDouble() : random.nextInt(2);
      double weight = 0.5 + random.nextInt(4);
      counts.add(prediction, weight * label, weight * (1 - label));
      for (int t = 0; t < thresholds.length; t++) {
        boolean positive = prediction > thresholds[t];
        expected[t][positive ? 0 : 3] += weight * label;
        expected[t][positive ? 1 : 2] += weight * (1 - label);
      }
    }
    ConfusionCounts[] actual = counts.counts();
    for (int t = 0; t < thresholds.length; t++) {
      assertEquals(expected[t][0], actual[t].truePositives(), 1e-6);
      assertEquals(expected[t][1], actual[t].falsePositives(), 1e-6);
      assertEquals(expected[t][2], actual[t].trueNegatives(), 1e-6);
      assertEquals(expected[t][3], actual[t].falseNegatives(), 1e-6);
      assertEquals(thresholds[t], actual[t].threshold(), 0.0);
    }
  }

  @Test
  public void mergeEqualsAddingAll() {
    double[] thresholds = {0.3, 0.6};
    ThresholdCounts a = new ThresholdCounts(thresholds);
    ThresholdCounts b = new ThresholdCounts(thresholds);
    ThresholdCounts all = new ThresholdCounts(thresholds);
    double[][] examples = {{0.2, 1}, {0.3, 0}, {0.31, 1}, {0.7, 0}, {0.6, 1}};
    for (int i = 0; i < examples.length; i++) {
      (i % 2 == 0 ? a : b).add(examples[i][0], examples[i][1], 1 - examples[i][1]);
      all.add(examples[i][0], examples[i][1], 1 - examples[i][1]);
    }
    a.merge(b);
    for (int t = 0; t < thresholds.length; t++) {
      assertEquals(all.counts()[t], a.counts()[t]);
    }
    // By hand at 0.3: positive predictions are 0.31, 0.7, 0.6 -> TP 2 (0.31, 0.6), FP 1 (0.7).
    assertEquals(new ConfusionCounts(0.3, 2, 1, 1, 1), all.counts()[0]);
  }
}
