package io.fairbeam.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Which confidence-interval samples a record belongs to, as a pure function of a seed and the
 * record's identity, never of a random generator's state: a rerun, the Direct Runner and a Flink
 * cluster at any parallelism put every record in the same samples with the same weights.
 *
 * <p>The identity of a record read from a file is the file's name (its last path component, so
 * moving the data does not change the result) and the record's index in the file; a record given
 * without a file is identified by its serialized bytes. The hash, which a Python check recomputes:
 *
 * <pre>
 * name_hash = fnv1a64(utf8(name))                    (or fnv1a64(record bytes))
 * h         = splitmix64(splitmix64(seed XOR name_hash) + record_index)   (mod 2^64)
 * jackknife: bucket = h mod samples                  (unsigned)
 * bootstrap: for replicate r in [0, samples):
 *            u_r = (splitmix64(h + r) >>> 11) * 2^-53                      (uniform in [0, 1))
 *            w_r = the least k with u_r < P(X <= k), X ~ Poisson(1)
 *                  (P(X <= k) summed in doubles: p_0 = exp(-1), p_k = p_(k-1) / k)
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

  /** P(X <= k) for X ~ Poisson(1), up to the k where it reaches 1 in doubles. */
  private static final double[] POISSON_CDF = poissonCdf();

  private final long seed;
  private final Resampling resampling;
  private final int samples;

  /** Assigns records to the samples of {@code resampling} under {@code seed}. */
  public SampleAssignment(long seed, Resampling resampling) {
    if (resampling.method() == Resampling.Method.NONE) {
      throw new IllegalArgumentException("no samples to assign records to");
    }
    this.seed = seed;
    this.resampling = resampling;
    this.samples = resampling.samples();
  }

  /** Assigns records to {@code samples} jackknife buckets under {@code seed}. */
  public SampleAssignment(long seed, int samples) {
    this(seed, new Resampling(Resampling.Method.JACKKNIFE, samples));
  }

  private static double[] poissonCdf() {
    double[] cdf = new double[32];
    double p = Math.exp(-1);
    double sum = p;
    int k = 0;
    cdf[0] = sum;
    while (sum < 1 && k < cdf.length - 1) {
      k++;
      p /= k;
      sum += p;
      cdf[k] = sum;
    }
    return Arrays.copyOf(cdf, k + 1);
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

  /**
   * The record's hash: {@code sourceHash} from {@link #sourceHash} or {@link #fnv1a64}, {@code
   * position} the record's place in its source (a TFRecord record's byte offset, a CSV or Avro
   * record's index, 0 for a record hashed by its content).
   */
  public long recordHash(long sourceHash, long position) {
    return splitmix64(splitmix64(seed ^ sourceHash) + position);
  }

  /** The jackknife bucket of the record with hash {@code recordHash}. */
  public int bucket(long recordHash) {
    return (int) Long.remainderUnsigned(recordHash, samples);
  }

  /** The Poisson(1) weight in bootstrap replicate {@code replicate} of the record. */
  public static int poissonWeight(long recordHash, int replicate) {
    double u = (splitmix64(recordHash + replicate) >>> 11) * 0x1.0p-53;
    int k = 0;
    while (k < POISSON_CDF.length - 1 && u >= POISSON_CDF[k]) {
      k++;
    }
    return k;
  }

  /**
   * Sets {@code weights} to the accumulator rows (see {@link Resampling}) the record with hash
   * {@code recordHash} is added to, with their multiplicities.
   */
  public void weigh(long recordHash, SampleWeights weights) {
    weights.clear();
    weights.add(0, 1);
    if (resampling.method() == Resampling.Method.JACKKNIFE) {
      weights.add(bucket(recordHash) + 1, 1);
      return;
    }
    for (int r = 0; r < samples; r++) {
      int weight = poissonWeight(recordHash, r);
      if (weight > 0) {
        weights.add(r + 1, weight);
      }
    }
  }
}
