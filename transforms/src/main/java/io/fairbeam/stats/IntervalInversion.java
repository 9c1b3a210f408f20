package io.fairbeam.stats;

import java.util.function.DoubleFunction;

/**
 * The p-value that inverts an interval of a difference: 1 − the largest level whose interval still
 * excludes 0, so that "significant at α" and "the 1 − α interval excludes 0" say the same thing.
 * For intervals built from normal quantiles (Newcombe's, MOVER's), whose bound nearer 0 moves
 * towards it as the quantile grows.
 */
final class IntervalInversion {
  private IntervalInversion() {}

  /**
   * The two-sided p-value of a difference of {@code difference} whose interval at the normal
   * quantile z is {@code atQuantile.apply(z)}: 1 when the difference is 0.
   */
  static double pValue(double difference, DoubleFunction<Bounds> atQuantile) {
    if (difference == 0) {
      return 1;
    }
    double lo = 0;
    double hi = 40;
    for (int i = 0; i < 200 && hi - lo > 1e-13; i++) {
      double z = (lo + hi) / 2;
      Bounds bounds = atQuantile.apply(z);
      boolean excludesZero = difference > 0 ? bounds.lower() > 0 : bounds.upper() < 0;
      if (excludesZero) {
        lo = z;
      } else {
        hi = z;
      }
    }
    return StandardNormal.twoSidedP((lo + hi) / 2);
  }
}
