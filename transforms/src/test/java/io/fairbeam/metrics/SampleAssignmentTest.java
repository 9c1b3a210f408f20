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
}
