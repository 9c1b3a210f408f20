package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * How a candidate's decisions at one threshold compare with its baseline's on a slice's examples:
 * the (weighted) examples in each cell of baseline × candidate, "neg to pos" being negative for the
 * baseline and positive for the candidate, as TFMA's flip rates count them.
 */
@Internal
public record FlipCounts(double negToNeg, double negToPos, double posToNeg, double posToPos) {
  /** Every example of the slice. */
  public double total() {
    return negToNeg + negToPos + posToNeg + posToPos;
  }
}
