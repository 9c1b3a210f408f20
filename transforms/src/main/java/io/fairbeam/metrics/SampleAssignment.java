package io.fairbeam.metrics;

import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Which confidence-interval sample a record belongs to, as a pure function of a seed and the
 * record's identity, never of a random generator's state: a rerun, the Direct Runner and a Flink
 * cluster at any parallelism put every record in the same sample.
 *
 * <p>The identity of a record read from a file is the file's name (its last path component, so
 * moving the data does not change the result) and the record's index in the file; a record given
 * without a file is identified by its serialized bytes. The hash, which a Python check recomputes:
 *
 * <pre>
 * name_hash = fnv1a64(utf8(name))                    (or fnv1a64(record bytes))
 * h         = splitmix64(splitmix64(seed XOR name_hash) + record_index)   (mod 2^64)
 * bucket    = h mod samples                          (unsigned), for the jackknife
 * </pre>
 *
 * <p>{@code fnv1a64} is FNV-1a with offset basis {@code 0xcbf29ce484222325} and prime {@code
 * 0x100000001b3}; {@code splitmix64} is Steele, Lea and Flood's finalizer ({@code z += 0x9e3779b9
 * 7f4a7c15; z = (z ^ z>>>30) * 0xbf58476d1ce4e5b9; z = (z ^ z>>>27) * 0x94d049bb133111eb; z ^
 * z>>>31}).
 */
@Internal
public final class SampleAssignment {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final long seed;
  private final int samples;

  /** Assigns records to {@code samples} samples under {@code seed}. */
  public SampleAssignment(long seed, int samples) {
    if (samples < 2) {
      throw new IllegalArgumentException("at least 2 samples are needed, got " + samples);
    }
    this.seed = seed;
    this.samples = samples;
  }

  public int samples() {
    return samples;
  }

  /** The hash of a record source's name: its last path component, FNV-1a over UTF-8. */
  public static long sourceHash(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return fnv1a64(source.substring(slash + 1).getBytes(StandardCharsets.UTF_8));
  }

  /** FNV-1a, 64 bits, over {@code bytes[0, length)}. */
  public static long fnv1a64(byte[] bytes, int length) {
    long hash = FNV_OFFSET;
    for (int i = 0; i < length; i++) {
      hash ^= bytes[i] & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** FNV-1a, 64 bits, over all of {@code bytes}. */
  public static long fnv1a64(byte[] bytes) {
    return fnv1a64(bytes, bytes.length);
  }

  /** Steele, Lea and Flood's SplitMix64 finalizer of {@code z + golden gamma}. */
  public static long splitmix64(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The record's hash: {@code sourceHash} from {@link #sourceHash} or {@link #fnv1a64}. */
  public long recordHash(long sourceHash, long recordIndex) {
    return splitmix64(splitmix64(seed ^ sourceHash) + recordIndex);
  }

  /** The jackknife bucket of the record with hash {@code recordHash}. */
  public int bucket(long recordHash) {
    return (int) Long.remainderUnsigned(recordHash, samples);
  }
}
