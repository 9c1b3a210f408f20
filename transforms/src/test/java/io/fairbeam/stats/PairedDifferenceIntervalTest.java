package io.fairbeam.stats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * Newcombe's paired interval (method 10) against a second implementation in Python over statsmodels
 * 0.14.4's Wilson intervals ({@code proportion_confint(method='wilson')} for each model's rate, φ
 * from the table, the formula of Newcombe 1998b), and its exact coverage.
 */
public class PairedDifferenceIntervalTest {
  @Test
  public void boundsEqualAnIndependentComputation() {
    double[][] cases = {
      // both, only first, only second, neither, lower, upper
      {36, 12, 2, 0, 0.05692958400323869, 0.3404276029749407},
      {10, 15, 5, 20, 0.030502822901462584, 0.35283592771870453},
      {5, 5, 0, 0, 0.11736746745022203, 0.7634069094874361},
      {0, 0, 0, 10, -0.2775327998628892, 0.2775327998628892},
      {90, 3, 1, 106, -0.009442467541156477, 0.02940572830688831},
      {10, 4, 0, 86, -0.0024328105622140606, 0.09105160961402278},
    };
    for (double[] c : cases) {
      Bounds b =
          PairedDifferenceInterval.of(
              new PairedDifferenceInterval.Table(c[0], c[1], c[2], c[3]), 0.95);
      assertEquals(c[4], b.lower(), 1e-9);
      assertEquals(c[5], b.upper(), 1e-9);
    }
  }

  /**
   * Pairing narrows the interval where the two models agree: 4 of 100 negatives flagged by the
   * candidate alone is [−0.002, 0.091] paired, where two independent samples of 14 and 10 of 100
   * (Newcombe's hybrid interval) give [−0.052, 0.133].
   */
  @Test
  public void pairingCountsOnlyTheExamplesTheModelsDecideDifferently() {
    Bounds paired =
        PairedDifferenceInterval.of(new PairedDifferenceInterval.Table(10, 4, 0, 86), 0.95);
    Bounds independent =
        NewcombeDifferenceInterval.of(new Proportion(0.14, 100), new Proportion(0.10, 100), 0.95);
    assertEquals(-0.052338198942649, independent.lower(), 1e-9);
    assertTrue(paired.upper() - paired.lower() < 0.6 * (independent.upper() - independent.lower()));
  }

  /**
   * Exact coverage over every 2×2 table of n = 30 pairs, for a grid of true cell probabilities
   * (multinomial enumeration): never below 0.92, and about 0.95 on average, as Newcombe reports for
   * method 10.
   */
  @Test
  public void exactCoverageHolds() {
    int n = 30;
    double worst = 1;
    double sum = 0;
    int grids = 0;
    double[] steps = {0.02, 0.1, 0.3, 0.5};
    for (double pa : steps) {
      for (double pb : steps) {
        for (double pc : steps) {
          double pd = 1 - pa - pb - pc;
          if (pd < 0.01) {
            continue;
          }
          double truth = pb - pc;
          double coverage = 0;
          for (int a = 0; a <= n; a++) {
            for (int b = 0; a + b <= n; b++) {
              for (int c = 0; a + b + c <= n; c++) {
                int d = n - a - b - c;
                double logP =
                    logFactorial(n)
                        - logFactorial(a)
                        - logFactorial(b)
                        - logFactorial(c)
                        - logFactorial(d)
                        + a * Math.log(pa)
                        + b * Math.log(pb)
                        + c * Math.log(pc)
                        + d * Math.log(pd);
                Bounds bounds =
                    PairedDifferenceInterval.of(
                        new PairedDifferenceInterval.Table(a, b, c, d), 0.95);
                if (bounds.lower() <= truth && truth <= bounds.upper()) {
                  coverage += Math.exp(logP);
                }
              }
            }
          }
          worst = Math.min(worst, coverage);
          sum += coverage;
          grids++;
        }
      }
    }
    assertTrue("worst coverage " + worst, worst >= 0.92);
    assertEquals(0.95, sum / grids, 0.02);
  }

  private static double logFactorial(int k) {
    double s = 0;
    for (int i = 2; i <= k; i++) {
      s += Math.log(i);
    }
    return s;
  }
}
