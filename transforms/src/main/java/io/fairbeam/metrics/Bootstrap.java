package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's Poisson bootstrap for one value: the standard error is the sample standard deviation (ddof
 * = 1) of the n replicate values, each computed with every example counted its Poisson(1) weight;
 * the interval is centred on the replicates' mean ± the Student-t quantile (n − 1 degrees of
 * freedom) times the standard error, as TFMA 0.52 reports it.
 */
@Internal
public final class Bootstrap extends IntervalEstimator {
  /** A bootstrap of {@code samples} replicates, for two-sided intervals at {@code level}. */
  public Bootstrap(int samples, double level) {
    super(samples, level);
  }

  @Override
  protected double standardError(double point, double[] replicates) {
    return sampleStandardDeviation(replicates);
  }
}
