package io.fairbeam.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/** The two-sided standard normal quantile of a confidence level, and its inverse. */
final class StandardNormal {
  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  private StandardNormal() {}

  /** z with P(|Z| <= z) = {@code level}, e.g. 1.959964 for 0.95. */
  static double twoSided(double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("a confidence level lies in (0, 1), got " + level);
    }
    return NORMAL.inverseCumulativeProbability(1 - (1 - level) / 2);
  }

  /** P(|Z| >= z): the two-sided p-value of a standard normal statistic z >= 0. */
  static double twoSidedP(double z) {
    return 2 * NORMAL.cumulativeProbability(-Math.abs(z));
  }
}
