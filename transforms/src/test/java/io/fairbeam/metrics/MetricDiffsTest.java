package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold;
import io.fairbeam.proto.tfma.MetricValue;
import org.junit.Test;

/** Model differences, with values worked out by hand from TFMA's rules. */
public class MetricDiffsTest {
  private static MetricValue matrices(ConfusionCounts... counts) {
    return MetricValue.newBuilder()
        .setConfusionMatrixAtThresholds(MetricValues.confusionMatrices(counts))
        .build();
  }

  @Test
  public void numbersAndArraysSubtract() {
    assertEquals(
        0.25,
        MetricDiffs.diff(MetricValues.ofDouble(0.75), MetricValues.ofDouble(0.5))
            .getDoubleValue()
            .getValue(),
        0.0);
    assertTrue(
        Double.isNaN(
            MetricDiffs.diff(MetricValues.ofDouble(Double.NaN), MetricValues.ofDouble(0.5))
                .getDoubleValue()
                .getValue()));
    MetricValue arrays =
        MetricDiffs.diff(
            MetricValues.ofArray(new double[] {1, 2}), MetricValues.ofArray(new double[] {0.5, 4}));
    assertEquals(0.5, arrays.getArrayValue().getFloat64Values(0), 0.0);
    assertEquals(-2, arrays.getArrayValue().getFloat64Values(1), 0.0);
    assertNull(
        MetricDiffs.diff(
            MetricValue.newBuilder().setDebugMessage("x").build(),
            MetricValue.newBuilder().setDebugMessage("y").build()));
  }

  @Test
  public void confusionMatricesSubtractCountsAndRecomputeRatesWhereDenominatorsArePositive() {
    // Candidate: tp 18 fp 10 tn 70 fn 2; baseline: tp 10 fp 80 tn 0 fn 10.
    MetricValue diff =
        MetricDiffs.diff(
            matrices(new ConfusionCounts(0.5, 18, 10, 70, 2)),
            matrices(new ConfusionCounts(0.5, 10, 80, 0, 10)));
    ConfusionMatrixAtThreshold m = diff.getConfusionMatrixAtThresholds().getMatrices(0);
    assertEquals(0.5, m.getThreshold(), 0.0);
    assertEquals(8, m.getTruePositives(), 0.0);
    assertEquals(-70, m.getFalsePositives(), 0.0);
    assertEquals(70, m.getTrueNegatives(), 0.0);
    assertEquals(-8, m.getFalseNegatives(), 0.0);
    // Predicted positives 8 - 70 < 0: precision falls back to 1; labelled positives 0: recall 0.
    assertEquals(1.0, m.getPrecision(), 0.0);
    assertEquals(0.0, m.getRecall(), 0.0);
    assertEquals(0.0, m.getF1(), 0.0);
    // Total 0: accuracy 0. Labelled negatives 0: FPR 0. Predicted negatives 62: FOR -8/62.
    assertEquals(0.0, m.getAccuracy(), 0.0);
    assertEquals(0.0, m.getFalsePositiveRate(), 0.0);
    assertEquals(-8.0 / 62.0, m.getFalseOmissionRate(), 1e-15);
  }
}
