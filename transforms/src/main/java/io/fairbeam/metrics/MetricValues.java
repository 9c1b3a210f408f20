package io.fairbeam.metrics;

import com.google.protobuf.DoubleValue;
import io.fairbeam.proto.tfma.ArrayValue;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.MetricValue;

/** Builds {@link MetricValue} protos the way TFMA's writer encodes Python values. */
final class MetricValues {
  private MetricValues() {}

  /** A scalar: TFMA writes floats to {@code double_value}. */
  public static MetricValue ofDouble(double value) {
    return MetricValue.newBuilder().setDoubleValue(DoubleValue.of(value)).build();
  }

  /** One value per threshold: TFMA writes a numpy array to {@code array_value} (FLOAT64). */
  public static MetricValue ofArray(double[] values) {
    ArrayValue.Builder array =
        ArrayValue.newBuilder().setDataType(ArrayValue.DataType.FLOAT64).addShape(values.length);
    for (double value : values) {
      array.addFloat64Values(value);
    }
    return MetricValue.newBuilder().setArrayValue(array).build();
  }

  /** A scalar for one threshold, an array for several, as TFMA's confusion-matrix metrics. */
  public static MetricValue ofPerThreshold(double[] values) {
    return values.length == 1 ? ofDouble(values[0]) : ofArray(values);
  }

  /**
   * Confusion matrices as TFMA's {@code Matrices.to_proto()}: thresholds rounded to 6 decimals;
   * where a denominator is not positive, precision is 1.0, recall, F1, accuracy and false positive
   * rate are 0.0, and the false omission rate is NaN.
   */
  public static ConfusionMatrixAtThresholds confusionMatrices(ConfusionCounts[] counts) {
    ConfusionMatrixAtThresholds.Builder result = ConfusionMatrixAtThresholds.newBuilder();
    for (ConfusionCounts c : counts) {
      result
          .addMatricesBuilder()
          .setThreshold(roundTo6(c.threshold()))
          .setTruePositives(c.truePositives())
          .setFalsePositives(c.falsePositives())
          .setTrueNegatives(c.trueNegatives())
          .setFalseNegatives(c.falseNegatives())
          .setPrecision(c.precisionOrOne())
          .setRecall(c.recallOrZero())
          .setF1(c.f1OfDefaults())
          .setAccuracy(dividedWherePositive(c.truePositives() + c.trueNegatives(), c.total(), 0.0))
          .setFalsePositiveRate(
              dividedWherePositive(c.falsePositives(), c.falsePositives() + c.trueNegatives(), 0.0))
          .setFalseOmissionRate(
              dividedWherePositive(
                  c.falseNegatives(), c.falseNegatives() + c.trueNegatives(), Double.NaN));
    }
    return result.build();
  }

  /**
   * numpy's {@code divide(a, b, out=default, where=b > 0)} as TFMA uses it: the default unless the
   * denominator is positive (which matters for differences between models, whose counts can be
   * negative).
   */
  private static double dividedWherePositive(
      double numerator, double denominator, double otherwise) {
    return denominator > 0 ? numerator / denominator : otherwise;
  }

  /** Python's {@code round(x, 6)}: round half to even on the exact binary value. */
  static double roundTo6(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    return new java.math.BigDecimal(value)
        .setScale(6, java.math.RoundingMode.HALF_EVEN)
        .doubleValue();
  }
}
