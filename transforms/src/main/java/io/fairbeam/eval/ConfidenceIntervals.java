package io.fairbeam.eval;

import io.fairbeam.metrics.Resampling;
import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How confidence intervals are computed, as {@code options.compute_confidence_intervals} and {@code
 * options.confidence_intervals} ask: TFMA's delete-d jackknife or Poisson bootstrap over {@code
 * samples} buckets or replicates (20, as TFMA), two-sided at {@code level} (95%, as TFMA), with
 * records assigned to samples by {@code seed} and their identity ({@link
 * io.fairbeam.metrics.SampleAssignment}): the feature {@code exampleIdKey}'s value when set, else
 * their file's name and their position in it.
 */
@Internal
public record ConfidenceIntervals(
    Resampling.Method method, int samples, double level, long seed, String exampleIdKey)
    implements Serializable {
  /** Intervals keyed by file name and position. */
  public ConfidenceIntervals(Resampling.Method method, int samples, double level, long seed) {
    this(method, samples, level, seed, "");
  }

  /** Whether records are assigned to samples by an example id feature. */
  public boolean keyedById() {
    return !exampleIdKey.isEmpty();
  }

  /** TFMA's number of jackknife buckets and bootstrap samples. */
  public static final int TFMA_SAMPLES = 20;

  /** TFMA's confidence level. */
  public static final double TFMA_LEVEL = 0.95;

  /** The seed of the sample assignment when the config sets none. */
  public static final long DEFAULT_SEED = 0;

  /** TFMA's jackknife: 20 buckets, 95%, the default seed. */
  public static ConfidenceIntervals tfmaJackknife() {
    return new ConfidenceIntervals(
        Resampling.Method.JACKKNIFE, TFMA_SAMPLES, TFMA_LEVEL, DEFAULT_SEED);
  }

  /** The layout of a slice's accumulators for these intervals. */
  public Resampling resampling() {
    return new Resampling(method, samples);
  }
}
