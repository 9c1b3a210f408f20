package io.fairbeam.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/** Accumulators merge like the union of their examples and survive encoding. */
public class SliceAccumulatorTest {
  private final AccumulatorSpec spec =
      AccumulatorSpec.builder()
          .addThresholds(java.util.List.of(0.25, 0.5))
          .requireHistogram()
          .build();

  @Test
  public void mergeOfPartsEqualsWhole() {
    Random random = new Random(5);
    SliceAccumulator whole = new SliceAccumulator(spec);
    SliceAccumulator[] parts = {
      new SliceAccumulator(spec), new SliceAccumulator(spec), new SliceAccumulator(spec)
    };
    for (int i = 0; i < 3000; i++) {
      double label = random.nextInt(2);
      double prediction = random.nextDouble();
      double weight = 1 + random.nextInt(3);
      whole.add(label, prediction, weight);
      parts[i % 3].add(label, prediction, weight);
    }
    parts[0].merge(parts[1]);
    parts[0].merge(parts[2]);
    assertSame(whole, parts[0]);
    assertSame(whole, roundTrip(whole));
  }

  private static SliceAccumulator roundTrip(SliceAccumulator acc) {
    return SliceAccumulator.fromBytes(acc.spec(), acc.toBytes());
  }

  private static void assertSame(SliceAccumulator expected, SliceAccumulator actual) {
    assertEquals(expected.exampleCount(), actual.exampleCount());
    assertEquals(expected.weightedExampleCount(), actual.weightedExampleCount(), 1e-9);
    assertEquals(expected.weightedLabelSum(), actual.weightedLabelSum(), 1e-9);
    assertEquals(expected.weightedPredictionSum(), actual.weightedPredictionSum(), 1e-9);
    assertArrayEquals(expected.thresholdCounts().counts(), actual.thresholdCounts().counts());
    CalibrationHistogram.Bucket[] a = expected.histogram().sortedBuckets();
    CalibrationHistogram.Bucket[] b = actual.histogram().sortedBuckets();
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i].id(), b[i].id());
      assertEquals(a[i].weight(), b[i].weight(), 1e-9);
      assertEquals(a[i].weightedLabel(), b[i].weightedLabel(), 1e-9);
      assertEquals(a[i].weightedPrediction(), b[i].weightedPrediction(), 1e-9);
    }
  }
}
