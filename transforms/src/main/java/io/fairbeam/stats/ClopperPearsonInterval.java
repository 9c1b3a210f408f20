package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * The Clopper–Pearson ("exact") interval for one rate (Clopper and Pearson 1934): the rates p under
 * which the observed count is not in either tail of the binomial at half the level each, from beta
 * quantiles. Its coverage is at least the level for every n and p, which Wilson's is not near 0 and
 * 1 on small slices; the price is width (conservative in the middle). With weights the effective
 * counts (Kish's n) stand in for the integers.
 */
@Internal
public final class ClopperPearsonInterval {
  private ClopperPearsonInterval() {}

  /** The interval at {@code level}; [0, 1] for a rate of nothing. */
  public static Bounds of(Proportion p, double level) {
    double n = p.n();
    if (n == 0) {
      return new Bounds(0, 1);
    }
    double alpha = 1 - level;
    double x = p.successes();
    double lower =
        x <= 0
            ? 0
            : new BetaDistribution(null, x, n - x + 1).inverseCumulativeProbability(alpha / 2);
    double upper =
        x >= n
            ? 1
            : new BetaDistribution(null, x + 1, n - x).inverseCumulativeProbability(1 - alpha / 2);
    return new Bounds(lower, upper);
  }
}
