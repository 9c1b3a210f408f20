package io.fairbeam.extract;

import org.apache.beam.sdk.annotations.Internal;

/**
 * How a file is cut for reading in ranges: into equal ranges of about a share of all input bytes,
 * so the readers of the pipeline and the threads that type a CSV input get equal work.
 */
@Internal
public final class ByteRanges {
  private ByteRanges() {}

  /** Each of {@code parts}' share of {@code totalBytes}, rounded up, and at least {@code min}. */
  public static long share(long totalBytes, long parts, long min) {
    return Math.max(min, -Math.floorDiv(-totalBytes, Math.max(1, parts)));
  }

  /**
   * The bounds of {@code size} cut into equal ranges of at most {@code share} bytes: range {@code
   * i} is {@code [bounds[i], bounds[i + 1])}; a file no larger than the share is one range.
   */
  public static long[] bounds(long size, long share) {
    long ranges = Math.max(1, -Math.floorDiv(-size, share));
    long[] bounds = new long[(int) ranges + 1];
    for (int i = 0; i <= ranges; i++) {
      bounds[i] = size * i / ranges;
    }
    return bounds;
  }
}
