package io.fairbeam.eval;

import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How confidence intervals are computed, as {@code options.compute_confidence_intervals} and {@code
 * options.confidence_intervals} ask: TFMA's delete-d jackknife over {@code samples} buckets (20, as
 * TFMA), two-sided at {@code level} (95%, as TFMA), with records assigned to buckets by {@code
 * seed} and their identity ({@link io.fairbeam.metrics.SampleAssignment}).
 */
@Internal
public record ConfidenceIntervals(int samples, double level, long seed) implements Serializable {
  /** TFMA's number of jackknife buckets and bootstrap samples. */
  public static final int TFMA_SAMPLES = 20;

  /** TFMA's confidence level. */
  public static final double TFMA_LEVEL = 0.95;

  /** The seed of the sample assignment when the config sets none. */
  public static final long DEFAULT_SEED = 0;
}
