package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;

/**
 * A rate estimated from a sample: its estimate and the number of observations behind it. With
 * example weights the number is Kish's effective sample size {@code (Σw)² / Σw²}, the size of an
 * unweighted sample whose estimate would be as variable (an approximation, exact when the weights
 * are equal); the score intervals then use it as they use n.
 *
 * @param estimate the rate, in [0, 1] (any value when {@code n} is 0)
 * @param n the number of observations, or the effective number; 0 for a rate of nothing
 */
@Internal
public record Proportion(double estimate, double n) {
  public Proportion {
    if (!(n >= 0) || Double.isInfinite(n)) {
      throw new IllegalArgumentException("a proportion's n must be finite and >= 0, got " + n);
    }
    if (n > 0 && !(estimate >= 0 && estimate <= 1)) {
      throw new IllegalArgumentException("a proportion must lie in [0, 1], got " + estimate);
    }
  }

  /** {@code successes} of {@code trials} unweighted observations. */
  public static Proportion ofCounts(double successes, double trials) {
    return new Proportion(trials > 0 ? successes / trials : Double.NaN, trials);
  }

  /**
   * A weighted rate: {@code weightedSuccesses} = Σ w·y, {@code weightSum} = Σ w and {@code
   * weightSquareSum} = Σ w² over the observations in the denominator.
   */
  public static Proportion ofWeighted(
      double weightedSuccesses, double weightSum, double weightSquareSum) {
    if (weightSum <= 0 || weightSquareSum <= 0) {
      return new Proportion(Double.NaN, 0);
    }
    double estimate = Math.min(1, Math.max(0, weightedSuccesses / weightSum));
    return new Proportion(estimate, weightSum * weightSum / weightSquareSum);
  }

  /** The estimate times n: the (effective) number of successes. */
  double successes() {
    return estimate * n;
  }
}
