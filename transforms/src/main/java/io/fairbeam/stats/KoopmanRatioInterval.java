package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;

/**
 * The ratio of two independent rates, a / b (the disparate-impact ratio of the four-fifths rule),
 * by Koopman's score method (Koopman 1984): the ratios θ whose score test, with both rates
 * re-estimated under a = θ·b, does not reject at the level. Unlike the log (Katz) interval it needs
 * no success on either side: a rate of 0 gives a lower bound of 0, a denominator of 0 an upper
 * bound of infinity, and a handful of examples a wide interval. For two disjoint groups.
 */
@Internal
public final class KoopmanRatioInterval {
  private static final int BISECTIONS = 200;

  private KoopmanRatioInterval() {}

  /** The interval of {@code a / b} at {@code level}; [0, ∞] when the counts say nothing. */
  public static Bounds of(Proportion a, Proportion b, double level) {
    double x1 = a.successes();
    double x2 = b.successes();
    if (a.n() == 0 || b.n() == 0 || (x1 == 0 && x2 == 0)) {
      return new Bounds(0, Double.POSITIVE_INFINITY);
    }
    double z = StandardNormal.twoSided(level);
    Score score = new Score(a, b);
    double lower = x1 == 0 ? 0 : root(score, z);
    double upper = x2 == 0 ? Double.POSITIVE_INFINITY : root(score, -z);
    return new Bounds(lower, upper);
  }

  /** The θ at which the score, which falls as θ grows, equals {@code target}. */
  private static double root(Score score, double target) {
    double hi = 1;
    while (score.at(hi) > target && hi < 1e300) {
      hi *= 2;
    }
    double lo = hi;
    while (score.at(lo) <= target && lo > 1e-300) {
      lo /= 2;
    }
    // Bisect in log θ: the ratio's scale is multiplicative.
    for (int i = 0; i < BISECTIONS && hi / lo > 1 + 1e-14; i++) {
      double mid = Math.sqrt(lo * hi);
      if (score.at(mid) > target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.sqrt(lo * hi);
  }

  /** The score statistic of θ for two (effective) counts. */
  private static final class Score {
    private final double x1;
    private final double n1;
    private final double x2;
    private final double n2;

    Score(Proportion a, Proportion b) {
      this.x1 = a.successes();
      this.n1 = a.n();
      this.x2 = b.successes();
      this.n2 = b.n();
    }

    /**
     * (â − θ·b̂) over its standard error at the rates that maximise the likelihood under a = θ·b:
     * b̃ is the smaller root of θ(n₁ + n₂)·b̃² − (θn₁ + x₁ + n₂ + θx₂)·b̃ + (x₁ + x₂) = 0, and ã =
     * θ·b̃.
     */
    double at(double theta) {
      double qa = theta * (n1 + n2);
      double qb = -(theta * n1 + x1 + n2 + theta * x2);
      double qc = x1 + x2;
      double discriminant = Math.max(0, qb * qb - 4 * qa * qc);
      // The smaller root, written so that it does not cancel when qa·qc is small.
      double bTilde = 2 * qc / (-qb + Math.sqrt(discriminant));
      double aTilde = Math.min(1, theta * bTilde);
      double variance = aTilde * (1 - aTilde) / n1 + theta * theta * bTilde * (1 - bTilde) / n2;
      double difference = x1 / n1 - theta * x2 / n2;
      if (variance <= 0) {
        return difference > 0
            ? Double.POSITIVE_INFINITY
            : difference < 0 ? Double.NEGATIVE_INFINITY : 0;
      }
      return difference / Math.sqrt(variance);
    }
  }
}
