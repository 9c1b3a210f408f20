package io.fairbeam.util;

import java.math.BigDecimal;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Formats doubles the way Python's {@code repr(float)} and {@code str(float)} do, because TFMA
 * builds names from them: the digits of a Fairness Indicators threshold key ({@code @0.25}) and the
 * text of a float slice value ({@code age:0.5}).
 *
 * <p>Python prints the shortest decimal that reads back to the same double, in positional notation
 * when the decimal exponent is in [-4, 16) and in scientific notation ({@code 1e-05}, {@code
 * 1e+16}) otherwise.
 */
@Internal
public final class PythonFloats {
  private PythonFloats() {}

  /** Python's {@code repr(value)}. */
  public static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0.0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    String sign = decimal.signum() < 0 ? "-" : "";
    String digits = decimal.unscaledValue().abs().toString();
    // value = 0.d1d2d3... × 10^pointPosition
    int pointPosition = digits.length() - decimal.scale();
    int exponent = pointPosition - 1;
    StringBuilder out = new StringBuilder(sign);
    if (exponent >= -4 && exponent < 16) {
      if (pointPosition <= 0) {
        out.append("0.").append("0".repeat(-pointPosition)).append(digits);
      } else if (pointPosition >= digits.length()) {
        out.append(digits).append("0".repeat(pointPosition - digits.length())).append(".0");
      } else {
        out.append(digits, 0, pointPosition).append('.').append(digits.substring(pointPosition));
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits.substring(1));
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int magnitude = Math.abs(exponent);
      if (magnitude < 10) {
        out.append('0');
      }
      out.append(magnitude);
    }
    return out.toString();
  }
}
