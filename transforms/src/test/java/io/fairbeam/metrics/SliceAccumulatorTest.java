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
          .addTerm(RegressionTerm.ABSOLUTE_PERCENTAGE_ERROR)
          .addTerm(new CrossEntropyTerm(0.1, false))
          .addScoreThresholds(java.util.List.of(0.0, 0.5, 0.75))
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

  @Test
  public void heldBackHistogramUpdatesGiveTheSameAccumulators() {
    // Two slices, the point estimate and a replicate row (coarser histogram), multiplicities above
    // one, and more updates than the buffer holds, so it flushes by itself as well as on demand.
    Random random = new Random(8);
    int slices = 2;
    ModelAccumulators[] direct = new ModelAccumulators[slices];
    ModelAccumulators[] deferred = new ModelAccumulators[slices];
    Resampling resampling = new Resampling(Resampling.Method.POISSON_BOOTSTRAP, 3);
    for (int s = 0; s < slices; s++) {
      direct[s] = new ModelAccumulators(spec, 1, resampling);
      deferred[s] = new ModelAccumulators(spec, 1, resampling);
    }
    HistogramUpdates updates = new HistogramUpdates();
    PreparedExample[] example = {new PreparedExample(spec)};
    SampleWeights weights = new SampleWeights(resampling.rows());
    for (int i = 0; i < 5000; i++) {
      example[0].prepare(random.nextInt(2), random.nextDouble() * 1.2 - 0.1, 1 + random.nextInt(2));
      weights.clear();
      weights.add(0, 1);
      weights.add(1 + random.nextInt(3), 1 + random.nextInt(3));
      int slice = random.nextInt(slices);
      direct[slice].add(example, weights);
      deferred[slice].add(example, weights, updates);
    }
    updates.flush();
    for (int s = 0; s < slices; s++) {
      assertArrayEquals(direct[s].toBytes(), deferred[s].toBytes());
    }
  }

  private static SliceAccumulator roundTrip(SliceAccumulator acc) {
    return SliceAccumulator.fromBytes(acc.spec(), acc.toBytes());
  }

  private static void assertSame(SliceAccumulator expected, SliceAccumulator actual) {
    assertEquals(expected.exampleCount(), actual.exampleCount());
    assertEquals(expected.weightedExampleCount(), actual.weightedExampleCount(), 1e-9);
    assertEquals(expected.weightedLabelSum(), actual.weightedLabelSum(), 1e-9);
    assertEquals(expected.weightedPredictionSum(), actual.weightedPredictionSum(), 1e-9);
    for (ExampleTerm term : expected.spec().terms()) {
      assertEquals(expected.termSum(term), actual.termSum(term), 1e-9);
      assertEquals(expected.termWeight(term), actual.termWeight(term), 1e-9);
    }
    // Sums of w·score, merged in another order: equal up to rounding.
    ConfusionCounts[] scoreA = expected.scoreCounts().counts();
    ConfusionCounts[] scoreB = actual.scoreCounts().counts();
    assertEquals(scoreA.length, scoreB.length);
    for (int i = 0; i < scoreA.length; i++) {
      assertEquals(scoreA[i].truePositives(), scoreB[i].truePositives(), 1e-9);
      assertEquals(scoreA[i].falsePositives(), scoreB[i].falsePositives(), 1e-9);
      assertEquals(scoreA[i].trueNegatives(), scoreB[i].trueNegatives(), 1e-9);
      assertEquals(scoreA[i].falseNegatives(), scoreB[i].falseNegatives(), 1e-9);
    }
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

  /**
   * An accumulator with every part of this kinds (a histogram over another label range,
   * multi-label matrices, pooled examples) encodes to bytes it decodes from, merged halves equal
   * the whole, and a pooled example counts once with its own weight.
   */
  @Test
  public void pooledMultiLabelAndRangePartsEncodeAndMerge() {
    AccumulatorSpec spec =
        AccumulatorSpec.builder()
            .addThresholds(java.util.List.of(0.5))
            .requireHistogramRange(0, 100)
            .addMultiLabelThresholds(java.util.List.of(0.5))
            .build();
    Random random = new Random(7);
    SliceAccumulator whole = new SliceAccumulator(spec);
    SliceAccumulator first = new SliceAccumulator(spec);
    SliceAccumulator second = new SliceAccumulator(spec);
    PreparedExample record = new PreparedExample(spec);
    PreparedExample classes = new PreparedExample(spec);
    for (int i = 0; i < 200; i++) {
      double[] labels = {random.nextInt(2), random.nextInt(2), random.nextInt(2)};
      double[] scores = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
      double weight = 1 + random.nextInt(3);
      PreparedExample[] parts = record.parts(3);
      for (int c = 0; c < 3; c++) {
        parts[c].prepare(labels[c], scores[c] * 120 - 10, weight);
      }
      record.preparePooled(3, weight);
      classes.prepare(0, 0, weight);
      classes.prepareClasses(0, 0, scores[0], labels, scores, 3);
      for (SliceAccumulator a : new SliceAccumulator[] {whole, i % 2 == 0 ? first : second}) {
        a.add(record);
        a.add(classes);
      }
    }
    byte[] bytes = whole.toBytes();
    assertArrayEquals(bytes, SliceAccumulator.fromBytes(spec, bytes).toBytes());
    first.merge(second);
    // Sums of whole weights and 0/1 labels are exact in any order.
    assertEquals(whole.exampleCount(), first.exampleCount());
    assertEquals(whole.exampleWeightSum(), first.exampleWeightSum(), 0);
    assertEquals(whole.weightedLabelSum(), first.weightedLabelSum(), 0);
    double[] at = {0.5};
    assertEquals(
        whole.multiLabelCounts().toProto(at, at), first.multiLabelCounts().toProto(at, at));
    var range = whole.histogram(0, 100).rebin(new double[] {Double.NEGATIVE_INFINITY, 0, 50, 100});
    var merged = first.histogram(0, 100).rebin(new double[] {Double.NEGATIVE_INFINITY, 0, 50, 100});
    for (int b = 0; b < range.length; b++) {
      assertEquals(range[b].weight(), merged[b].weight(), 0);
    }
    // 200 pooled records and 200 class examples; a pooled record counts once, with its own
    // weight W, while its three binary examples weigh 3W, and the class examples W more.
    assertEquals(400, whole.exampleCount());
    assertEquals(4 * whole.exampleWeightSum(), whole.weightedExampleCount(), 1e-9);
  }
}
