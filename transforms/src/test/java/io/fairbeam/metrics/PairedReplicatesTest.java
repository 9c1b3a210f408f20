package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.Test;

/**
 * The two models' paired counts are kept per replicate, as each model's accumulator is: a jackknife
 * replicate's flip counts are those of the examples outside its bucket, a bootstrap replicate's
 * those of its Poisson-weighted examples, and the encoding keeps every row. Counted here by hand
 * from the same examples.
 */
public class PairedReplicatesTest {
  private static final int BUCKETS = 4;

  @Test
  public void aJackknifeReplicateCountsTheExamplesOutsideItsBucket() {
    AccumulatorSpec spec =
        AccumulatorSpec.builder().addThresholds(List.of(0.5)).pairWith(1, 2).build();
    ModelAccumulators accumulators =
        new ModelAccumulators(spec, 2, new Resampling(Resampling.Method.JACKKNIFE, BUCKETS));
    PreparedExample candidate = new PreparedExample(spec);
    PreparedExample baseline = new PreparedExample(spec);
    SampleWeights weights = new SampleWeights(2);
    SplittableRandom random = new SplittableRandom(7);
    // [bucket][baseline positive][candidate positive] weight
    double[][][] byBucket = new double[BUCKETS][2][2];
    for (int i = 0; i < 400; i++) {
      double c = random.nextDouble();
      double b = random.nextDouble();
      double w = 1 + random.nextInt(3);
      int bucket = i % BUCKETS;
      candidate.prepare(random.nextInt(2), c, w);
      baseline.prepare(0, b, w);
      weights.clear();
      weights.add(0, 1);
      weights.add(1 + bucket, 1);
      accumulators.add(new PreparedExample[] {candidate, baseline}, weights);
      byBucket[bucket][b > 0.5 ? 1 : 0][c > 0.5 ? 1 : 0] += w;
    }
    ModelAccumulators decoded = ModelAccumulators.fromBytes(spec, accumulators.toBytes());
    for (ModelAccumulators a : List.of(accumulators, decoded)) {
      assertFlips(a.pointEstimate().paired(0).flips(0), byBucket, -1);
      for (int r = 0; r < BUCKETS; r++) {
        assertFlips(a.replicate(r).paired(0).flips(0), byBucket, r);
      }
    }
  }

  @Test
  public void aBootstrapReplicateCountsItsWeightedExamples() {
    AccumulatorSpec spec =
        AccumulatorSpec.builder().addThresholds(List.of(0.5)).pairWith(1, 2).build();
    ModelAccumulators accumulators =
        new ModelAccumulators(spec, 2, new Resampling(Resampling.Method.POISSON_BOOTSTRAP, 2));
    PreparedExample candidate = new PreparedExample(spec);
    PreparedExample baseline = new PreparedExample(spec);
    SampleWeights weights = new SampleWeights(3);
    // Examples 0..9: candidate positive when i is even, baseline never; replicate 1 takes each
    // example i times 2 when i < 5, replicate 2 takes none of them.
    double negToPos = 0;
    for (int i = 0; i < 10; i++) {
      candidate.prepare(1, i % 2 == 0 ? 0.9 : 0.1, 1);
      baseline.prepare(1, 0.1, 1);
      weights.clear();
      weights.add(0, 1);
      if (i < 5) {
        weights.add(1, 2);
        negToPos += i % 2 == 0 ? 2 : 0;
      }
      accumulators.add(new PreparedExample[] {candidate, baseline}, weights);
    }
    FlipCounts first = accumulators.replicate(0).paired(0).flips(0);
    assertEquals(negToPos, first.negToPos(), 0);
    assertEquals(10, first.total(), 0);
    assertEquals(0, accumulators.replicate(1).paired(0).flips(0).total(), 0);
    assertEquals(5, accumulators.pointEstimate().paired(0).flips(0).negToPos(), 0);
  }

  /** The flips of every bucket but {@code left} (all of them when it is −1). */
  private static void assertFlips(FlipCounts actual, double[][][] byBucket, int left) {
    double[][] sum = new double[2][2];
    for (int k = 0; k < BUCKETS; k++) {
      if (k == left) {
        continue;
      }
      for (int b = 0; b < 2; b++) {
        for (int c = 0; c < 2; c++) {
          sum[b][c] += byBucket[k][b][c];
        }
      }
    }
    assertEquals(sum[0][0], actual.negToNeg(), 1e-9);
    assertEquals(sum[0][1], actual.negToPos(), 1e-9);
    assertEquals(sum[1][0], actual.posToNeg(), 1e-9);
    assertEquals(sum[1][1], actual.posToPos(), 1e-9);
  }
}
