package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;

/** The two ends of a confidence interval; {@code upper} may be infinite for a ratio. */
@Internal
public record Bounds(double lower, double upper) {
  /** Whether {@code value} lies inside, ends included. */
  public boolean contains(double value) {
    return value >= lower && value <= upper;
  }
}
