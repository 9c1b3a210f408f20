package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/**
 * {@link Jackknife} against values computed another way: scipy's t quantile, and, for a mean over
 * equal buckets (where each pseudo-value is exactly a bucket's mean), the classical standard error
 * of the bucket means.
 */
public class JackknifeTest {
  @Test
  public void tQuantileIsScipys() {
    // scipy.stats.t.ppf(0.975, 19), as TFMA computes it, and scipy.stats.t.ppf(0.95, 9),
    // printed by scipy 1.x in the compat environment.
    assertEquals(2.0930240544083087, new Jackknife(20, 0.95).tQuantile(), 1e-13);
    assertEquals(1.833112932656237, new Jackknife(10, 0.90).tQuantile(), 1e-13);
  }

  @Test
  public void aMeanOverEqualBucketsHasTheStandardErrorOfTheBucketMeans() {
    int buckets = 20;
    int perBucket = 50;
    Random random = new Random(7);
    double[] bucketMeans = new double[buckets];
    double total = 0;
    for (int b = 0; b < buckets; b++) {
      double sum = 0;
      for (int i = 0; i < perBucket; i++) {
        sum += random.nextGaussian() + 3;
      }
      bucketMeans[b] = sum / perBucket;
      total += sum;
    }
    double point = total / (buckets * perBucket);
    double[] leaveOneOut = new double[buckets];
    for (int b = 0; b < buckets; b++) {
      leaveOneOut[b] = (total - bucketMeans[b] * perBucket) / ((buckets - 1) * perBucket);
    }
    double meanOfMeans = 0;
    for (double m : bucketMeans) {
      meanOfMeans += m / buckets;
    }
    double squares = 0;
    for (double m : bucketMeans) {
      squares += (m - meanOfMeans) * (m - meanOfMeans);
    }
    double expectedError = Math.sqrt(squares / (buckets - 1)) / Math.sqrt(buckets);

    Interval interval = new Jackknife(buckets, 0.95).interval(point, leaveOneOut);
    assertEquals(expectedError, interval.standardError(), 1e-12);
    assertEquals(19, interval.degreesOfFreedom());
    // Centred on the mean of the leave-one-out values, which for a mean is the point estimate.
    assertEquals(point, interval.mean(), 1e-12);
    assertEquals(point - 2.0930240544083087 * expectedError, interval.lower(), 1e-12);
    assertEquals(point + 2.0930240544083087 * expectedError, interval.upper(), 1e-12);
  }

  @Test
  public void aValueThatNeverMovesHasAZeroWidthInterval() {
    double[] same = new double[20];
    java.util.Arrays.fill(same, 1.0);
    Interval interval = new Jackknife(20, 0.95).interval(1.0, same);
    assertEquals(0.0, interval.standardError(), 0);
    assertEquals(1.0, interval.lower(), 0);
    assertEquals(1.0, interval.upper(), 0);
  }
}
