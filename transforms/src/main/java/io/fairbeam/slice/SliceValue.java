package io.fairbeam.slice;

import com.google.protobuf.ByteString;
import io.fairbeam.extract.FeatureKind;
import io.fairbeam.proto.tfma.SingleSliceKey;
import io.fairbeam.util.PythonFloats;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The value of one slicing feature, keeping the type TFMA writes into {@code SingleSliceKey}:
 * bytes, int64 or float32. Immutable.
 */
public final class SliceValue implements Comparable<SliceValue> {
  private final FeatureKind kind;
  private final byte[] bytes;
  private final long int64;
  private final float float32;

  private SliceValue(FeatureKind kind, byte[] bytes, long int64, float float32) {
    this.kind = kind;
    this.bytes = bytes;
    this.int64 = int64;
    this.float32 = float32;
  }

  /** A bytes value (a {@code bytes_list} feature's). */
  public static SliceValue ofBytes(byte[] value) {
    return new SliceValue(FeatureKind.BYTES, value.clone(), 0, 0);
  }

  /** A bytes value holding {@code value} in UTF-8. */
  public static SliceValue ofString(String value) {
    return new SliceValue(FeatureKind.BYTES, value.getBytes(StandardCharsets.UTF_8), 0, 0);
  }

  /** An int64 value. */
  public static SliceValue ofInt64(long value) {
    return new SliceValue(FeatureKind.INT64, null, value, 0);
  }

  /** A float value. */
  public static SliceValue ofFloat(float value) {
    return new SliceValue(FeatureKind.FLOAT, null, 0, value);
  }

  /** The value's type: bytes, int64 or float. */
  public FeatureKind kind() {
    return kind;
  }

  /** The bytes of a BYTES value (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The value of an int64 slice value. */
  public long int64() {
    return int64;
  }

  /** The value of a float slice value. */
  public float float32() {
    return float32;
  }

  /** Sets this value on a {@code SingleSliceKey} builder. */
  void setOn(SingleSliceKey.Builder builder) {
    switch (kind) {
      case BYTES -> builder.setBytesValue(ByteString.copyFrom(bytes));
      case INT64 -> builder.setInt64Value(int64);
      case FLOAT -> builder.setFloatValue(float32);
    }
  }

  /** The value from a {@code SingleSliceKey}. */
  static SliceValue fromProto(SingleSliceKey key) {
    return switch (key.getKindCase()) {
      case BYTES_VALUE ->
          new SliceValue(FeatureKind.BYTES, key.getBytesValue().toByteArray(), 0, 0);
      case INT64_VALUE -> ofInt64(key.getInt64Value());
      case FLOAT_VALUE -> ofFloat(key.getFloatValue());
      case KIND_NOT_SET ->
          throw new IllegalArgumentException(
              "SingleSliceKey of column " + key.getColumn() + " has no value");
    };
  }

  /** The text TFMA shows for this value: UTF-8 text, the integer, or Python's float repr. */
  @Override
  public String toString() {
    return switch (kind) {
      case BYTES -> new String(bytes, StandardCharsets.UTF_8);
      case INT64 -> Long.toString(int64);
      case FLOAT -> PythonFloats.repr(float32);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceValue other
        && kind == other.kind
        && int64 == other.int64
        && Float.floatToIntBits(float32) == Float.floatToIntBits(other.float32)
        && Arrays.equals(bytes, other.bytes);
  }

  /** Stable: the same in every JVM and run (the kind by its ordinal, not its identity). */
  @Override
  public int hashCode() {
    return kind.ordinal() * 31 * 31
        + (Arrays.hashCode(bytes) ^ Long.hashCode(int64)) * 31
        + Float.floatToIntBits(float32);
  }

  @Override
  public int compareTo(SliceValue other) {
    if (kind != other.kind) {
      return kind.compareTo(other.kind);
    }
    return switch (kind) {
      case BYTES -> Arrays.compareUnsigned(bytes, other.bytes);
      case INT64 -> Long.compare(int64, other.int64);
      case FLOAT -> Float.compare(float32, other.float32);
    };
  }
}
