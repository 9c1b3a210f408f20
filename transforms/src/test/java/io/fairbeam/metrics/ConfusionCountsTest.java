package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The rates of a confusion matrix, checked against values worked out by hand. */
public class ConfusionCountsTest {
  // TP=6, FP=2, TN=10, FN=2 (N=20).
  private final ConfusionCounts c = new ConfusionCounts(0.5, 6, 2, 10, 2);

  @Test
  public void ratesMatchHandComputation() {
    assertEquals(6.0 / 8, c.truePositiveRate(), 1e-15);
    assertEquals(10.0 / 12, c.trueNegativeRate(), 1e-15);
    assertEquals(2.0 / 12, c.falsePositiveRate(), 1e-15);
    assertEquals(2.0 / 8, c.falseNegativeRate(), 1e-15);
    assertEquals(8.0 / 20, c.positiveRate(), 1e-15);
    assertEquals(12.0 / 20, c.negativeRate(), 1e-15);
    assertEquals(6.0 / 8, c.precision(), 1e-15);
    assertEquals(2.0 / 8, c.falseDiscoveryRate(), 1e-15);
    assertEquals(2.0 / 12, c.falseOmissionRate(), 1e-15);
    assertEquals(10.0 / 12, c.negativePredictiveValue(), 1e-15);
    assertEquals(16.0 / 20, c.accuracy(), 1e-15);
    assertEquals(12.0 / 16, c.f1Score(), 1e-15);
    assertEquals((0.75 + 10.0 / 12) / 2, c.balancedAccuracy(), 1e-15);
    assertEquals(
        (60.0 - 4.0) / Math.sqrt(8.0 * 8 * 12 * 12), c.matthewsCorrelationCoefficient(), 1e-15);
    assertEquals(6.0 / 10, c.threatScore(), 1e-15);
    assertEquals(8.0 / 20, c.prevalence(), 1e-15);
  }

  @Test
  public void emptyDenominatorsGiveNaN() {
    ConfusionCounts noPredictedPositive = new ConfusionCounts(0.9, 0, 0, 5, 3);
    assertTrue(Double.isNaN(noPredictedPositive.precision()));
    assertTrue(Double.isNaN(noPredictedPositive.falseDiscoveryRate()));
    assertEquals(0.0, noPredictedPositive.truePositiveRate(), 0.0);
    assertEquals(1.0, noPredictedPositive.precisionOrOne(), 0.0);
    ConfusionCounts noPositiveLabel = new ConfusionCounts(0.5, 0, 2, 5, 0);
    assertTrue(Double.isNaN(noPositiveLabel.truePositiveRate()));
    assertTrue(Double.isNaN(noPositiveLabel.falseNegativeRate()));
    assertEquals(0.0, noPositiveLabel.recallOrZero(), 0.0);
    ConfusionCounts empty = new ConfusionCounts(0.5, 0, 0, 0, 0);
    assertTrue(Double.isNaN(empty.positiveRate()));
    assertTrue(Double.isNaN(empty.matthewsCorrelationCoefficient()));
  }
}
