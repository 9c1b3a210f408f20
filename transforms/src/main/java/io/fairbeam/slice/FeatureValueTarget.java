package io.fairbeam.slice;

import io.fairbeam.extract.FeatureKind;
import io.fairbeam.extract.FeatureValues;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@code feature_values} target of a slicing spec: the string, and its number when it is numeric.
 * A bytes value matches the string; an int64 or float value matches the number. Shared by slicing
 * (values of an example) and by cross-slice matching (values of a slice key).
 */
final class FeatureValueTarget {
  private final byte[] utf8;
  private final boolean numeric;
  private final double number;

  FeatureValueTarget(String value) {
    this.utf8 = value.getBytes(StandardCharsets.UTF_8);
    double parsed = Double.NaN;
    boolean isNumber = false;
    try {
      parsed = Double.parseDouble(value.strip());
      isNumber = !value.isBlank();
    } catch (NumberFormatException e) {
      // Not numeric: only bytes features can match.
    }
    this.numeric = isNumber;
    this.number = parsed;
  }

  /** Whether value {@code i} of an example's feature matches. */
  boolean matches(FeatureValues values, int i) {
    FeatureKind kind = values.kind();
    if (kind == FeatureKind.BYTES) {
      return values.bytesLength(i) == utf8.length
          && Arrays.equals(
              utf8,
              0,
              utf8.length,
              values.bytesBuffer(i),
              values.bytesOffset(i),
              values.bytesOffset(i) + values.bytesLength(i));
    }
    return numeric
        && (kind == FeatureKind.INT64
            ? values.int64At(i) == number
            : values.floatAt(i) == (float) number);
  }

  /** Whether a slice key's value matches. */
  boolean matches(SliceValue value) {
    if (value.kind() == FeatureKind.BYTES) {
      return Arrays.equals(utf8, value.bytes());
    }
    return numeric
        && (value.kind() == FeatureKind.INT64
            ? value.int64() == number
            : value.float32() == (float) number);
  }
}
