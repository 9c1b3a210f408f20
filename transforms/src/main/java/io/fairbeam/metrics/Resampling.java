package io.fairbeam.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How a slice's accumulators are kept for confidence intervals: the method and its number of
 * samples decide how many rows of accumulators a slice holds and how the point estimate and each
 * replicate are read from them.
 *
 * <ul>
 *   <li>{@link Method#NONE}: one row, the point estimate's.
 *   <li>{@link Method#JACKKNIFE}: row 0 holds every example once (the point estimate), row {@code b
 *       + 1} the examples of bucket {@code b}; replicate {@code r} merges all bucket rows but
 *       {@code r + 1}.
 *   <li>{@link Method#POISSON_BOOTSTRAP}: row 0 holds every example once (the point estimate), row
 *       {@code r + 1} holds replicate {@code r}, where each example counts its Poisson(1) weight.
 * </ul>
 */
@Internal
public record Resampling(Method method, int samples) implements Serializable {
  /** The resampling methods: TFMA's two, and none. */
  public enum Method {
    NONE,
    JACKKNIFE,
    POISSON_BOOTSTRAP
  }

  /** No confidence intervals: one row of accumulators. */
  public static final Resampling NONE = new Resampling(Method.NONE, 0);

  public Resampling {
    if (method != Method.NONE && samples < 2) {
      throw new IllegalArgumentException("at least 2 samples are needed, got " + samples);
    }
  }

  /** The rows of accumulators a slice holds. */
  public int rows() {
    return switch (method) {
      case NONE -> 1;
      case JACKKNIFE, POISSON_BOOTSTRAP -> samples + 1;
    };
  }

  /** The number of replicates an interval is computed from (0 without intervals). */
  public int replicates() {
    return samples;
  }
}
