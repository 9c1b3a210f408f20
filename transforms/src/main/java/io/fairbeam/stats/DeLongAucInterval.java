package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;

/**
 * The AUC of scores grouped into ordered buckets (a calibration histogram: ties within a bucket
 * count one half), with DeLong's variance (DeLong, DeLong and Clarke-Pearson 1988) and an interval
 * on the logit scale, which stays inside (0, 1) (Pohar Perme and Manevski 2018 recommend it over
 * the symmetric one). DeLong's variance comes from the placement values: for a positive, the share
 * of negatives scored below it; for a negative, the share of positives scored above it.
 *
 * <p>When every positive is scored above every negative (an AUC of 0 or 1) the variance is zero and
 * the logit is infinite: the interval is not defined by this method, and {@link #of} says so with
 * null rather than a zero-width interval.
 */
@Internal
public final class DeLongAucInterval {
  private DeLongAucInterval() {}

  /**
   * The AUC and DeLong's variance of it, with the (weighted or effective) numbers of positives and
   * negatives behind it.
   */
  public record Estimate(double auc, double variance, double positives, double negatives) {}

  /**
   * The AUC of buckets in ascending score order, {@code positives[b]} and {@code negatives[b]}
   * examples in bucket b, with DeLong's variance; null with fewer than two of either.
   */
  public static Estimate estimate(double[] positives, double[] negatives) {
    if (positives.length != negatives.length) {
      throw new IllegalArgumentException("positives and negatives need the same buckets");
    }
    double m = 0;
    double n = 0;
    for (int b = 0; b < positives.length; b++) {
      m += positives[b];
      n += negatives[b];
    }
    if (m < 2 || n < 2) {
      return null;
    }
    // Placement of a positive in bucket b: negatives below it plus half those tied with it.
    double[] positivePlacement = new double[positives.length];
    double negativesBelow = 0;
    double area = 0;
    for (int b = 0; b < positives.length; b++) {
      positivePlacement[b] = (negativesBelow + 0.5 * negatives[b]) / n;
      area += positives[b] * positivePlacement[b];
      negativesBelow += negatives[b];
    }
    double auc = area / m;
    // Placement of a negative in bucket b: positives above it plus half those tied with it.
    double positivesAbove = 0;
    double s01 = 0;
    for (int b = positives.length - 1; b >= 0; b--) {
      double placement = (positivesAbove + 0.5 * positives[b]) / m;
      s01 += negatives[b] * (placement - auc) * (placement - auc);
      positivesAbove += positives[b];
    }
    double s10 = 0;
    for (int b = 0; b < positives.length; b++) {
      s10 += positives[b] * (positivePlacement[b] - auc) * (positivePlacement[b] - auc);
    }
    s10 /= m - 1;
    s01 /= n - 1;
    return new Estimate(auc, s10 / m + s01 / n, m, n);
  }

  /**
   * The interval at {@code level} on the logit scale, or null where this method gives none: fewer
   * than two positives or negatives, or an AUC of 0 or 1.
   */
  public static Bounds of(double[] positives, double[] negatives, double level) {
    Estimate estimate = estimate(positives, negatives);
    return estimate == null ? null : around(estimate.auc(), estimate.variance(), level);
  }

  /**
   * The logit interval at {@code level} of an AUC of {@code auc} with variance {@code variance};
   * null at an AUC of 0 or 1 or without variance.
   */
  public static Bounds around(double auc, double variance, double level) {
    if (!(auc > 0 && auc < 1) || !(variance > 0)) {
      return null;
    }
    double logit = Math.log(auc / (1 - auc));
    double halfWidth = StandardNormal.twoSided(level) * Math.sqrt(variance) / (auc * (1 - auc));
    return new Bounds(expit(logit - halfWidth), expit(logit + halfWidth));
  }

  /** The two-sided p-value of "two independent AUCs are equal" from their DeLong variances. */
  public static double pValue(double auc1, double variance1, double auc2, double variance2) {
    double se = Math.sqrt(variance1 + variance2);
    if (!(se > 0)) {
      return Double.NaN;
    }
    return StandardNormal.twoSidedP(Math.abs(auc1 - auc2) / se);
  }

  /** The normal quantile of {@code level}, for intervals built from these variances. */
  public static double quantile(double level) {
    return StandardNormal.twoSided(level);
  }

  private static double expit(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
