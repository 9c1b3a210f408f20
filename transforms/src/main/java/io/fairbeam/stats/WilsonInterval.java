package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;

/**
 * Wilson's score interval for one rate (Wilson 1927): the rates p whose score test against the
 * estimate does not reject at the level. Unlike the Wald interval, and unlike resampling intervals
 * on a small slice, it stays inside [0, 1] and has width whenever the counts leave doubt: 3 of 3
 * gives [0.44, 1] at 95%, not [1, 1]. Its coverage is close to nominal from a handful of
 * observations on (Brown, Cai and DasGupta 2001). A rate of nothing (n = 0) is [0, 1].
 */
@Internal
public final class WilsonInterval {
  private WilsonInterval() {}

  /** The interval at {@code level} (e.g. 0.95). */
  public static Bounds of(Proportion p, double level) {
    return withQuantile(p, StandardNormal.twoSided(level));
  }

  /** The interval whose score test uses the normal quantile {@code z}. */
  static Bounds withQuantile(Proportion p, double z) {
    double n = p.n();
    if (n == 0) {
      return new Bounds(0, 1);
    }
    double estimate = p.estimate();
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (estimate + z2 / (2 * n)) / denominator;
    double half = z / denominator * Math.sqrt(estimate * (1 - estimate) / n + z2 / (4 * n * n));
    // At 0 and 1 the bound is the estimate itself: exact, not off by rounding.
    double lower = estimate == 0 ? 0 : Math.max(0, centre - half);
    double upper = estimate == 1 ? 1 : Math.min(1, centre + half);
    return new Bounds(lower, upper);
  }
}
