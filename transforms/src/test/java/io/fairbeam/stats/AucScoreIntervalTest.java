package io.fairbeam.stats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * The AUC's score interval, its MOVER difference, p-value and ratio, against the same equations
 * solved independently by {@code scipy.optimize.brentq} (values below; the script is in the comment
 * of each), and the properties the small-slice decisions rest on.
 */
public class AucScoreIntervalTest {
  private static final double LEVEL = 0.95;

  /**
   * brentq on (a − t)² − z²·V(t) over [0, a] and [a, 1], z = norm.ppf(0.975), V(t) = t(1 − t)/(mn)
   * · (1 + (N − 1)((1 − t)/(2 − t) + t/(1 + t))), N = (m + n)/2.
   */
  @Test
  public void boundsEqualScipysRoots() {
    double[][] cases = {
      // auc, positives, negatives, lower, upper
      {1.0, 10, 5, 0.7165463247059889, 1},
      {0.9, 400, 200, 0.8691144691535602, 0.9236873058635723},
      {0.75, 10, 10, 0.49077368885128175, 0.8970543952024113},
      {0.5, 20, 30, 0.3447977899293195, 0.6552022100706805},
      {0.0, 6, 4, 0, 0.36714465056695406},
    };
    for (double[] c : cases) {
      Bounds b = AucScoreInterval.of(c[0], c[1], c[2], LEVEL);
      assertEquals(c[3], b.lower(), 1e-9);
      assertEquals(c[4], b.upper(), 1e-9);
    }
  }

  /** An AUC of 1 from a handful of examples keeps a wide interval, where DeLong's has none. */
  @Test
  public void aPerfectAucOnFewExamplesIsNoProof() {
    assertNull(DeLongAucInterval.around(1.0, 0, LEVEL));
    Bounds b = AucScoreInterval.of(1.0, 4, 4, LEVEL);
    assertEquals(1.0, b.upper(), 0);
    assertTrue(b.lower() < 0.6);
    assertNull(AucScoreInterval.of(0.8, 0, 5, LEVEL));
  }

  /**
   * MOVER's difference, its inverted p-value and MOVER-R's ratio for 0.85 (40 + 60), 0.65 (30 +
   * 25).
   */
  @Test
  public void differencePValueAndRatioEqualScipys() {
    Bounds d = AucScoreInterval.difference(0.85, 40, 60, 0.65, 30, 25, LEVEL);
    assertEquals(0.04174398994517842, d.lower(), 1e-9);
    assertEquals(0.3661052577370234, d.upper(), 1e-9);
    assertEquals(0.012125185905083607, AucScoreInterval.pValue(0.85, 40, 60, 0.65, 30, 25), 1e-7);
    Bounds r = AucScoreInterval.ratio(0.65, 30, 25, 0.85, 40, 60, LEVEL);
    assertEquals(0.5781921120745551, r.lower(), 1e-9);
    assertEquals(0.9472407992821259, r.upper(), 1e-9);
    // The p-value and the interval say the same: below 0.05 exactly when 0 is outside.
    assertEquals(1, AucScoreInterval.pValue(0.7, 10, 10, 0.7, 20, 20), 0);
  }
}
