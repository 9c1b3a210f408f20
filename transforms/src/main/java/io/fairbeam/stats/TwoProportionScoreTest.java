package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Whether two independent rates differ: the score test of a = b (Pearson's χ² test of the 2×2
 * table, as a z statistic with the variance pooled under the null). Its p-value rests on the
 * counts, so a rate from three examples cannot make a gap significant the way a zero-width
 * resampling interval did; it is the test behind Newcombe's interval of the difference.
 */
@Internal
public final class TwoProportionScoreTest {
  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  private TwoProportionScoreTest() {}

  /**
   * The two-sided p-value of "a and b are equal"; 1 when they cannot differ (both 0, or both 1),
   * NaN when either rate is of nothing.
   */
  public static double pValue(Proportion a, Proportion b) {
    if (a.n() == 0 || b.n() == 0) {
      return Double.NaN;
    }
    double pooled = (a.successes() + b.successes()) / (a.n() + b.n());
    double variance = pooled * (1 - pooled) * (1 / a.n() + 1 / b.n());
    if (!(variance > 0)) {
      return 1;
    }
    double z = Math.abs(a.estimate() - b.estimate()) / Math.sqrt(variance);
    return Math.min(1, 2 * NORMAL.cumulativeProbability(-z));
  }
}
