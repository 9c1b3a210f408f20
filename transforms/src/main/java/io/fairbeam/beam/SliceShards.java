package io.fairbeam.beam;

import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The shards slices are derived in: each slice belongs to one shard by a hash of its key, the same
 * on every worker and run, and a shard's slices are merged and derived together (one grouping key
 * per shard, not per slice). Per-key work is what a runner charges for (the Direct Runner about 3
 * ms a key), and a shard holds only its own slices' accumulators, so the count trades the one
 * against the other: {@value #DIRECT_RUNNER} on the Direct Runner, whose worker holds every
 * accumulator in memory anyway, {@value #CLUSTER} elsewhere, or {@code --sliceShards}.
 */
final class SliceShards {
  /** Shards on the Direct Runner: more than its worker threads, few keys. */
  static final int DIRECT_RUNNER = 16;

  /** Shards on a cluster runner: a million slices give about 4,000 per shard. */
  static final int CLUSTER = 256;

  private SliceShards() {}

  /** The shard count for a pipeline run with {@code options}. */
  static int count(PipelineOptions options) {
    FairbeamOptionsCheck.check(options);
    int given = options.as(FairbeamOptions.class).getSliceShards();
    if (given > 0) {
      return given;
    }
    return options.getRunner().getName().equals("org.apache.beam.runners.direct.DirectRunner")
        ? DIRECT_RUNNER
        : CLUSTER;
  }

  /**
   * The shard of {@code slice} among {@code shards}, from a hash of its columns' names and values
   * that every JVM computes alike (String's and {@link SliceValue#hashCode}'s are specified).
   */
  static int of(SliceKey slice, int shards) {
    int hash = 1;
    for (SliceKey.Column column : slice.columns()) {
      hash = 31 * (31 * hash + column.name().hashCode()) + column.value().hashCode();
    }
    // Spread the low bits, which floorMod keeps, over the whole hash.
    hash ^= hash >>> 16;
    return Math.floorMod(hash * 0x9E3779B9, shards);
  }
}
