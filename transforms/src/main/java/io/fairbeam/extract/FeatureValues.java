package io.fairbeam.extract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The values of one feature in one example, typed as {@code tf.train.Feature} types them: a list of
 * bytes, of float32 or of int64. Absent when the example has no such feature.
 *
 * <p>It is reused from record to record to keep the read path free of allocation: bytes values may
 * point into the buffer of the record being decoded, and are valid only until the next record.
 */
@Internal
public final class FeatureValues {
  private FeatureKind kind;
  private int count;
  private float[] floats = new float[4];
  private long[] ints = new long[4];
  private byte[][] bytesBuffers = new byte[4][];
  private int[] bytesOffsets = new int[4];
  private int[] bytesLengths = new int[4];
  private byte[] ownBytes = new byte[0];

  /** Marks the feature absent. */
  public void clear() {
    kind = null;
    count = 0;
  }

  /** Whether the example has this feature (possibly with an empty list). */
  public boolean present() {
    return kind != null;
  }

  /** The feature's type, or null when absent. */
  public FeatureKind kind() {
    return kind;
  }

  /** Number of values. */
  public int count() {
    return count;
  }

  /** Starts (or restarts) a list of {@code newKind} values. */
  public void start(FeatureKind newKind) {
    kind = newKind;
    count = 0;
  }

  public void addFloat(float value) {
    if (count == floats.length) {
      floats = Arrays.copyOf(floats, count * 2);
    }
    floats[count++] = value;
  }

  public void addInt64(long value) {
    if (count == ints.length) {
      ints = Arrays.copyOf(ints, count * 2);
    }
    ints[count++] = value;
  }

  /** Adds a bytes value that lives in {@code buffer[offset, offset + length)} (not copied). */
  public void addBytes(byte[] buffer, int offset, int length) {
    if (count == bytesBuffers.length) {
      bytesBuffers = Arrays.copyOf(bytesBuffers, count * 2);
      bytesOffsets = Arrays.copyOf(bytesOffsets, count * 2);
      bytesLengths = Arrays.copyOf(bytesLengths, count * 2);
    }
    bytesBuffers[count] = buffer;
    bytesOffsets[count] = offset;
    bytesLengths[count] = length;
    count++;
  }

  /**
   * Copies bytes values that point into a shared buffer into storage of this object, so they stay
   * valid after the next record is read (for examples held in an inference batch).
   */
  public void detach() {
    if (kind != FeatureKind.BYTES || count == 0) {
      return;
    }
    int total = 0;
    for (int i = 0; i < count; i++) {
      total += bytesLengths[i];
    }
    if (ownBytes.length < total) {
      ownBytes = new byte[Math.max(total, 2 * ownBytes.length)];
    }
    // Values already in ownBytes (a second detach) sit at the positions they are copied to.
    int position = 0;
    for (int i = 0; i < count; i++) {
      System.arraycopy(bytesBuffers[i], bytesOffsets[i], ownBytes, position, bytesLengths[i]);
      bytesBuffers[i] = ownBytes;
      bytesOffsets[i] = position;
      position += bytesLengths[i];
    }
  }

  /** Copies the first {@code n} float values into {@code target} from {@code offset}. */
  public void copyFloats(int n, float[] target, int offset) {
    System.arraycopy(floats, 0, target, offset, n);
  }

  public float floatAt(int i) {
    return floats[i];
  }

  public long int64At(int i) {
    return ints[i];
  }

  public byte[] bytesBuffer(int i) {
    return bytesBuffers[i];
  }

  public int bytesOffset(int i) {
    return bytesOffsets[i];
  }

  public int bytesLength(int i) {
    return bytesLengths[i];
  }

  /** The i-th bytes value as a fresh array. */
  public byte[] bytesAt(int i) {
    return Arrays.copyOfRange(bytesBuffers[i], bytesOffsets[i], bytesOffsets[i] + bytesLengths[i]);
  }

  /** The i-th value as a number (float32 widened exactly, or int64), or NaN for bytes. */
  public double numberAt(int i) {
    return switch (kind) {
      case FLOAT -> floats[i];
      case INT64 -> ints[i];
      case BYTES -> Double.NaN;
    };
  }

  /** The i-th value as text, for messages. */
  public String textAt(int i) {
    return switch (kind) {
      case FLOAT -> Float.toString(floats[i]);
      case INT64 -> Long.toString(ints[i]);
      case BYTES ->
          new String(bytesBuffers[i], bytesOffsets[i], bytesLengths[i], StandardCharsets.UTF_8);
    };
  }
}
