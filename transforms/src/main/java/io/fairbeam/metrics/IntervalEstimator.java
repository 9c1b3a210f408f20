package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Turns a value's point estimate and its replicate values into an {@link Interval}: the jackknife's
 * or the bootstrap's standard error, and TFMA's Student-t bounds around the replicates' mean.
 */
@Internal
public abstract class IntervalEstimator {
  private final int replicates;
  private final double tQuantile;

  /** An estimator from {@code replicates} replicates, for two-sided intervals at {@code level}. */
  protected IntervalEstimator(int replicates, double level) {
    if (replicates < 2) {
      throw new IllegalArgumentException("at least 2 samples are needed, got " + replicates);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("the confidence level must be in (0, 1), got " + level);
    }
    this.replicates = replicates;
    this.tQuantile =
        new TDistribution(null, replicates - 1, 1e-15)
            .inverseCumulativeProbability(1 - (1 - level) / 2);
  }

  /** The estimator of {@code resampling}'s method at {@code level}. */
  public static IntervalEstimator of(Resampling resampling, double level) {
    return switch (resampling.method()) {
      case JACKKNIFE -> new Jackknife(resampling.samples(), level);
      case POISSON_BOOTSTRAP -> new Bootstrap(resampling.samples(), level);
      case NONE -> throw new IllegalArgumentException("no intervals without resampling");
    };
  }

  /** The number of replicate values {@link #interval} takes. */
  public int replicates() {
    return replicates;
  }

  /** The Student-t quantile the bounds use ({@code t.ppf(1 - alpha/2, n - 1)}). */
  public double tQuantile() {
    return tQuantile;
  }

  /** The interval of a value with point estimate {@code point} and replicate {@code values}. */
  public final Interval interval(double point, double[] values) {
    if (values.length != replicates) {
      throw new IllegalArgumentException(
          "expected " + replicates + " replicate values, got " + values.length);
    }
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    double mean = sum / replicates;
    double standardError = standardError(point, values);
    return new Interval(
        mean,
        mean - standardError * tQuantile,
        mean + standardError * tQuantile,
        standardError,
        replicates - 1);
  }

  /** The standard error of the point estimate from the replicate values. */
  protected abstract double standardError(double point, double[] values);

  /** The sample standard deviation (ddof = 1) of {@code values}. */
  static double sampleStandardDeviation(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double value : values) {
      squares += (value - mean) * (value - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }
}
