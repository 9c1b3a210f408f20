package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * TFMA's delete-d ("cookie bucket") jackknife for one value: from the point estimate θ over all
 * data and the n leave-one-bucket-out estimates θ₋ᵢ, the pseudo-values n·θ − (n−1)·θ₋ᵢ give the
 * standard error std(pseudo, ddof=1)/√n with n−1 degrees of freedom, and the interval is centred on
 * the mean of the θ₋ᵢ (not on θ), ± the Student-t quantile times the standard error, exactly as
 * TFMA 0.52 reports it.
 */
@Internal
public final class Jackknife {
  /** An interval: the centre TFMA uses, its bounds, standard error and degrees of freedom. */
  public record Interval(
      double mean, double lower, double upper, double standardError, int degreesOfFreedom) {}

  private final int samples;
  private final double tQuantile;

  /** A jackknife over {@code samples} buckets, for two-sided intervals at {@code level}. */
  public Jackknife(int samples, double level) {
    if (samples < 2) {
      throw new IllegalArgumentException("at least 2 samples are needed, got " + samples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("the confidence level must be in (0, 1), got " + level);
    }
    this.samples = samples;
    this.tQuantile =
        new TDistribution(null, samples - 1, 1e-15)
            .inverseCumulativeProbability(1 - (1 - level) / 2);
  }

  /** The Student-t quantile the bounds use ({@code t.ppf(1 - alpha/2, n - 1)}). */
  public double tQuantile() {
    return tQuantile;
  }

  /** The interval of a value with point estimate {@code point} and leave-one-out {@code values}. */
  public Interval interval(double point, double[] leaveOneOut) {
    if (leaveOneOut.length != samples) {
      throw new IllegalArgumentException(
          "expected " + samples + " leave-one-out values, got " + leaveOneOut.length);
    }
    double sum = 0;
    double pseudoSum = 0;
    for (double value : leaveOneOut) {
      sum += value;
      pseudoSum += pseudo(point, value);
    }
    double pseudoMean = pseudoSum / samples;
    double squares = 0;
    for (double value : leaveOneOut) {
      double d = pseudo(point, value) - pseudoMean;
      squares += d * d;
    }
    double standardError = Math.sqrt(squares / (samples - 1)) / Math.sqrt(samples);
    double mean = sum / samples;
    return new Interval(
        mean,
        mean - standardError * tQuantile,
        mean + standardError * tQuantile,
        standardError,
        samples - 1);
  }

  private double pseudo(double point, double leftOut) {
    return point * samples - leftOut * (samples - 1);
  }
}
