package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's delete-d ("cookie bucket") jackknife for one value: from the point estimate θ over all
 * data and the n leave-one-bucket-out estimates θ₋ᵢ, the pseudo-values n·θ − (n−1)·θ₋ᵢ give the
 * standard error std(pseudo, ddof=1)/√n with n−1 degrees of freedom, and the interval is centred on
 * the mean of the θ₋ᵢ (not on θ), ± the Student-t quantile times the standard error, exactly as
 * TFMA 0.52 reports it.
 */
@Internal
public final class Jackknife extends IntervalEstimator {
  /** A jackknife over {@code samples} buckets, for two-sided intervals at {@code level}. */
  public Jackknife(int samples, double level) {
    super(samples, level);
  }

  @Override
  protected double standardError(double point, double[] leaveOneOut) {
    int n = leaveOneOut.length;
    double[] pseudo = new double[n];
    for (int i = 0; i < n; i++) {
      pseudo[i] = point * n - leaveOneOut[i] * (n - 1);
    }
    return sampleStandardDeviation(pseudo) / Math.sqrt(n);
  }
}
