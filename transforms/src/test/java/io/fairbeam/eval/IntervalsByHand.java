package io.fairbeam.eval;

/** TFMA's jackknife interval computed the plain way, for tests that check Fairbeam's against it. */
final class IntervalsByHand {
  /** {@code scipy.stats.t.ppf(0.975, 19)}. */
  static final double T_975_19 = 2.0930240544083087;

  private IntervalsByHand() {}

  /**
   * Lower bound, upper bound and standard error of 20 leave-one-out values at 95%: pseudo-values
   * n·θ − (n−1)·θ₋ᵢ, their standard deviation over √n, bounds around the leave-one-out mean.
   */
  static double[] jackknife(double point, double[] leftOut) {
    int n = leftOut.length;
    double mean = 0;
    double pseudoMean = 0;
    for (double v : leftOut) {
      mean += v / n;
      pseudoMean += (n * point - (n - 1) * v) / n;
    }
    double squares = 0;
    for (double v : leftOut) {
      double d = n * point - (n - 1) * v - pseudoMean;
      squares += d * d;
    }
    double error = Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
    return new double[] {mean - T_975_19 * error, mean + T_975_19 * error, error};
  }
}
