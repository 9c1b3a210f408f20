package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/** TFMA's histogram: bucket ids, regrouping, and the counts derived for AUC. */
public class CalibrationHistogramTest {
  @Test
  public void bucketIdsFollowTfmaFormula() {
    CalibrationHistogram h = new CalibrationHistogram(10000);
    assertEquals(0, h.bucketOf(-0.5));
    assertEquals(1, h.bucketOf(0.0));
    assertEquals(1, h.bucketOf(0.00009));
    assertEquals(2, h.bucketOf(0.0001));
    assertEquals(5001, h.bucketOf(0.5));
    assertEquals(10001, h.bucketOf(1.0));
    assertEquals(10001, h.bucketOf(7.0));
  }

  @Test
  public void sumsAndMergeAreExact() {
    CalibrationHistogram a = new CalibrationHistogram(10);
    CalibrationHistogram b = new CalibrationHistogram(10);
    a.add(0.15, 1, 2);
    a.add(0.12, 0, 1);
    b.add(0.11, 1, 1);
    b.add(0.95, 0, 3);
    a.merge(b);
    CalibrationHistogram.Bucket[] buckets = a.sortedBuckets();
    assertEquals(2, buckets.length);
    assertEquals(new CalibrationHistogram.Bucket(2, 4, 3, 0.15 * 2 + 0.12 + 0.11), buckets[0]);
    assertEquals(new CalibrationHistogram.Bucket(10, 3, 0, 0.95 * 3), buckets[1]);
  }

  @Test
  public void countsAtBucketEdgesEqualExactCounts() {
    // With predictions on a grid finer than no bucket, thresholds between grid points give the
    // exact counts.
    Random random = new Random(3);
    CalibrationHistogram histogram = new CalibrationHistogram(10000);
    double[] thresholds = {0.05, 0.25, 0.5, 0.75, 0.95};
    double[][] exact = new double[thresholds.length][4];
    for (int i = 0; i < 5000; i++) {
      double prediction = (random.nextInt(100) + 0.5) / 100; // 0.005, 0.015, ...
      double label = random.nextInt(2);
      histogram.add(prediction, label, 1.0);
      for (int t = 0; t < thresholds.length; t++) {
        boolean positive = prediction > thresholds[t];
        exact[t][positive ? (label == 1 ? 0 : 1) : (label == 1 ? 3 : 2)] += 1;
      }
    }
    ConfusionCounts[] counts = histogram.confusionCountsAt(thresholds);
    for (int t = 0; t < thresholds.length; t++) {
      assertEquals(exact[t][0], counts[t].truePositives(), 0.0);
      assertEquals(exact[t][1], counts[t].falsePositives(), 0.0);
      assertEquals(exact[t][2], counts[t].trueNegatives(), 0.0);
      assertEquals(exact[t][3], counts[t].falseNegatives(), 0.0);
    }
  }

  @Test
  public void rebinPutsEdgesInFirstAndLastBucket() {
    CalibrationHistogram h = new CalibrationHistogram(10);
    h.add(-1, 1, 1);
    h.add(0.05, 0, 1);
    h.add(0.55, 1, 1);
    h.add(2, 1, 1);
    CalibrationHistogram.Bucket[] rebinned =
        h.rebin(new double[] {Double.NEGATIVE_INFINITY, 0.0, 0.5, 1.0});
    assertEquals(4, rebinned.length);
    assertEquals(1.0, rebinned[0].weight(), 0.0); // -1
    assertEquals(1.0, rebinned[1].weight(), 0.0); // 0.05
    assertEquals(1.0, rebinned[2].weight(), 0.0); // 0.55
    assertEquals(1.0, rebinned[3].weight(), 0.0); // 2
  }

  @Test
  public void interpolatedThresholdsAreKeras() {
    double[] t = CalibrationHistogram.interpolatedThresholds(3);
    assertEquals(-1e-7, t[0], 0.0);
    assertEquals(0.5, t[1], 0.0);
    assertEquals(1 + 1e-7, t[2], 0.0);
  }
}
