package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.Test;

/**
 * {@link SampleAssignment}: the published test vectors of FNV-1a and SplitMix64, the same bucket
 * for the same record wherever its file lies, and buckets spread evenly.
 */
public class SampleAssignmentTest {
  @Test
  public void hashesMatchTheirReferenceVectors() {
    assertEquals(0xcbf29ce484222325L, SampleAssignment.fnv1a64(new byte[0]));
    assertEquals(
        0xaf63dc4c8601ec8cL, SampleAssignment.fnv1a64("a".getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        0x85944171f73967e8L, SampleAssignment.fnv1a64("foobar".getBytes(StandardCharsets.UTF_8)));
    // The first output of SplitMix64 seeded with 0.
    assertEquals(0xe220a8397b1dcdafL, SampleAssignment.splitmix64(0));
  }

  @Test
  public void aRecordsBucketDependsOnItsFileNameAndIndexOnly() {
    SampleAssignment assignment = new SampleAssignment(42, 20);
    for (long index = 0; index < 100; index++) {
      int here =
          assignment.bucket(
              assignment.recordHash(SampleAssignment.sourceHash("/data/a/part-0.tfrecord"), index));
      int there =
          assignment.bucket(
              assignment.recordHash(SampleAssignment.sourceHash("part-0.tfrecord"), index));
      assertEquals(here, there);
    }
    long a = assignment.recordHash(SampleAssignment.sourceHash("part-0"), 5);
    long b = assignment.recordHash(SampleAssignment.sourceHash("part-1"), 5);
    long c = new SampleAssignment(43, 20).recordHash(SampleAssignment.sourceHash("part-0"), 5);
    assertTrue(a != b && a != c);
  }

  @Test
  public void bucketsAreEvenlyFilled() {
    SampleAssignment assignment = new SampleAssignment(20261126, 20);
    int records = 200_000;
    long[] counts = new long[20];
    long source = SampleAssignment.sourceHash("part-00000");
    for (long index = 0; index < records; index++) {
      counts[assignment.bucket(assignment.recordHash(source, index))]++;
    }
    double expected = records / 20.0;
    double chiSquare = 0;
    for (long count : counts) {
      chiSquare += (count - expected) * (count - expected) / expected;
    }
    // The 99.99th percentile of chi-square with 19 degrees of freedom is 52.4.
    assertTrue("chi-square " + chiSquare, chiSquare < 52.4);
  }

  /**
   * The documented hash, recomputed by an independent Python implementation (integers mod 2^64):
   * the hashes and buckets of the first records of {@code part-0.tfrecord} under seed 42.
   */
  @Test
  public void agreesWithAPythonImplementationOfTheDocumentedHash() {
    SampleAssignment assignment = new SampleAssignment(42, 20);
    long source = SampleAssignment.sourceHash("part-0.tfrecord");
    long[] hashes = {
      0xa349ebfb02bf2a21L,
      0x7ccdd12f0c2555efL,
      0xed8ad2cd1b91753bL,
      0xba0588a5bddfa49eL,
      0x65a123d5082ed5d0L
    };
    int[] buckets = {5, 3, 3, 6, 0};
    for (int i = 0; i < hashes.length; i++) {
      assertEquals(hashes[i], assignment.recordHash(source, i));
      assertEquals(buckets[i], assignment.bucket(hashes[i]));
    }
  }

  /** Poisson weights recomputed by the same Python implementation, for the hashes above. */
  @Test
  public void poissonWeightsAgreeWithAPythonImplementation() {
    int[][] expected = {
      {1, 1, 1, 0, 1, 1, 0, 3, 1, 1, 0, 1, 1, 0, 2, 1, 1, 1, 1, 1},
      {0, 1, 1, 0, 2, 0, 0, 1, 0, 1, 1, 2, 3, 0, 1, 1, 0, 0, 0, 0}
    };
    long[] hashes = {0xa349ebfb02bf2a21L, 0x7ccdd12f0c2555efL};
    for (int i = 0; i < hashes.length; i++) {
      for (int r = 0; r < 20; r++) {
        assertEquals(expected[i][r], SampleAssignment.poissonWeight(hashes[i], r));
      }
    }
  }

  /** Over many records the weights follow Poisson(1): P(k) = e^-1 / k!, by a chi-square test. */
  @Test
  public void poissonWeightsFollowPoissonOne() {
    SampleAssignment assignment =
        new SampleAssignment(7, new Resampling(Resampling.Method.POISSON_BOOTSTRAP, 20));
    long source = SampleAssignment.sourceHash("part-00000");
    long[] counts = new long[6]; // 0, 1, 2, 3, 4, 5 or more
    int draws = 0;
    for (long index = 0; index < 20_000; index++) {
      long hash = assignment.recordHash(source, index);
      for (int r = 0; r < 20; r++) {
        counts[Math.min(5, SampleAssignment.poissonWeight(hash, r))]++;
        draws++;
      }
    }
    double chiSquare = 0;
    double tail = 1;
    for (int k = 0; k < 6; k++) {
      double p = k < 5 ? Math.exp(-1) / factorial(k) : tail;
      tail -= p;
      double expected = draws * p;
      chiSquare += (counts[k] - expected) * (counts[k] - expected) / expected;
    }
    // The 99.99th percentile of chi-square with 5 degrees of freedom is 25.7.
    assertTrue("chi-square " + chiSquare, chiSquare < 25.7);
  }

  @Test
  public void aBootstrapRecordIsInThePointEstimateOnceAndInEachReplicateByItsWeight() {
    SampleAssignment assignment =
        new SampleAssignment(42, new Resampling(Resampling.Method.POISSON_BOOTSTRAP, 20));
    long hash = 0xa349ebfb02bf2a21L;
    SampleWeights weights = new SampleWeights(21);
    assignment.weigh(hash, weights);
    assertEquals(0, weights.row(0));
    assertEquals(1, weights.multiplicity(0));
    int next = 1;
    for (int r = 0; r < 20; r++) {
      int weight = SampleAssignment.poissonWeight(hash, r);
      if (weight > 0) {
        assertEquals(r + 1, weights.row(next));
        assertEquals(weight, weights.multiplicity(next));
        next++;
      }
    }
    assertEquals(next, weights.size());
  }

  private static double factorial(int k) {
    double f = 1;
    for (int i = 2; i <= k; i++) {
      f *= i;
    }
    return f;
  }
}
