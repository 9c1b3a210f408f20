package io.fairbeam.report;

import io.fairbeam.io.TfmaNames;
import io.fairbeam.proto.ReportMetricValue;
import java.util.Locale;

/**
 * How a report writes numbers and metric names, in one place for the tables, the findings and the
 * page's script (which formats the same way): 4 significant digits, whole numbers with thousands
 * separators, an interval in brackets, and a metric without TFMA's {@code
 * fairness_indicators_metrics/} prefix.
 */
public final class ReportFormat {
  private ReportFormat() {}

  /** A value as the tables show it: 4 significant digits, its interval in brackets. */
  public static String value(ReportMetricValue value) {
    return value(value, 4);
  }

  /** A value to {@code digits} significant digits, its interval in brackets. */
  public static String value(ReportMetricValue value, int digits) {
    if (value == null) {
      return "—";
    }
    return switch (value.getKindCase()) {
      case DOUBLE_VALUE -> number(value.getDoubleValue(), digits);
      case BOUNDED_VALUE ->
          number(value.getBoundedValue().getValue(), digits)
              + " ["
              + number(value.getBoundedValue().getLowerBound(), digits)
              + ", "
              + number(value.getBoundedValue().getUpperBound(), digits)
              + "]";
      case ERROR -> value.getError();
      case KIND_NOT_SET -> "—";
    };
  }

  /** {@code v} to 4 significant digits. */
  public static String number(double v) {
    return number(v, 4);
  }

  /**
   * {@code v} to {@code digits} significant digits, trailing zeros dropped; whole numbers whole.
   */
  public static String number(double v, int digits) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%." + digits + "g", v)
        .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
        .replaceAll("\\.(e|$)", "$1");
  }

  /** The metric's name as the page shows it: TFMA's fairness-indicators prefix dropped. */
  public static String metricLabel(String metric) {
    String prefix = TfmaNames.FAIRNESS_INDICATORS + "/";
    return metric.startsWith(prefix) ? metric.substring(prefix.length()) : metric;
  }
}
