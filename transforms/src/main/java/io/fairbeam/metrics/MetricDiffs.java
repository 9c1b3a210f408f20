package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.ArrayValue;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.MetricValue;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The difference between a candidate model's metric and its baseline's, as TFMA writes it under an
 * {@code is_diff} key: candidate − baseline for numbers and numeric arrays, and for confusion
 * matrices the difference of the counts at each threshold with the rates recomputed from those
 * differences (TFMA's {@code Matrices} subtraction followed by {@code to_proto}). Other values
 * (messages, plots) have no difference.
 */
@Internal
public final class MetricDiffs {
  private MetricDiffs() {}

  /** {@code candidate − baseline}, or null when the two values cannot be subtracted. */
  public static MetricValue diff(MetricValue candidate, MetricValue baseline) {
    if (candidate.hasDoubleValue() && baseline.hasDoubleValue()) {
      return MetricValues.ofDouble(
          candidate.getDoubleValue().getValue() - baseline.getDoubleValue().getValue());
    }
    if (candidate.hasArrayValue() && baseline.hasArrayValue()) {
      return diffArrays(candidate.getArrayValue(), baseline.getArrayValue());
    }
    if (candidate.hasConfusionMatrixAtThresholds() && baseline.hasConfusionMatrixAtThresholds()) {
      return MetricValue.newBuilder()
          .setConfusionMatrixAtThresholds(
              diffMatrices(
                  candidate.getConfusionMatrixAtThresholds(),
                  baseline.getConfusionMatrixAtThresholds()))
          .build();
    }
    return null;
  }

  private static MetricValue diffArrays(ArrayValue candidate, ArrayValue baseline) {
    if (candidate.getDataType() != ArrayValue.DataType.FLOAT64
        || baseline.getDataType() != ArrayValue.DataType.FLOAT64
        || !candidate.getShapeList().equals(baseline.getShapeList())) {
      return null;
    }
    double[] values = new double[candidate.getFloat64ValuesCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = candidate.getFloat64Values(i) - baseline.getFloat64Values(i);
    }
    return MetricValues.ofArray(values);
  }

  /**
   * Thresholds present in both are subtracted; a threshold present in one only is subtracted from
   * (or has subtracted) zero counts, as TFMA's elementwise merge does.
   */
  private static ConfusionMatrixAtThresholds diffMatrices(
      ConfusionMatrixAtThresholds candidate, ConfusionMatrixAtThresholds baseline) {
    List<ConfusionCounts> result = new ArrayList<>();
    int c = 0;
    int b = 0;
    while (c < candidate.getMatricesCount() || b < baseline.getMatricesCount()) {
      ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold x =
          c < candidate.getMatricesCount() ? candidate.getMatrices(c) : null;
      ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold y =
          b < baseline.getMatricesCount() ? baseline.getMatrices(b) : null;
      if (x != null && y != null && x.getThreshold() == y.getThreshold()) {
        result.add(
            new ConfusionCounts(
                x.getThreshold(),
                x.getTruePositives() - y.getTruePositives(),
                x.getFalsePositives() - y.getFalsePositives(),
                x.getTrueNegatives() - y.getTrueNegatives(),
                x.getFalseNegatives() - y.getFalseNegatives()));
        c++;
        b++;
      } else if (x != null && (y == null || x.getThreshold() < y.getThreshold())) {
        result.add(
            new ConfusionCounts(
                x.getThreshold(),
                x.getTruePositives(),
                x.getFalsePositives(),
                x.getTrueNegatives(),
                x.getFalseNegatives()));
        c++;
      } else {
        result.add(
            new ConfusionCounts(
                y.getThreshold(),
                -y.getTruePositives(),
                -y.getFalsePositives(),
                -y.getTrueNegatives(),
                -y.getFalseNegatives()));
        b++;
      }
    }
    return MetricValues.confusionMatrices(result.toArray(new ConfusionCounts[0]));
  }
}
