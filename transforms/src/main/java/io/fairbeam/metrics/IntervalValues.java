package io.fairbeam.metrics;

import com.google.protobuf.Int64Value;
import io.fairbeam.proto.tfma.ArrayValue;
import io.fairbeam.proto.tfma.ConfidenceInterval;
import io.fairbeam.proto.tfma.ConfusionMatrixAtThresholds;
import io.fairbeam.proto.tfma.MetricValue;
import java.util.function.ToDoubleFunction;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The {@code ConfidenceInterval} of one metric value from its replicates (jackknife or bootstrap),
 * in the shape TFMA 0.52 writes: a number gets a number's interval; an array ({@code ArrayValue})
 * an element-wise one; a {@code ConfusionMatrixAtThresholds} gets intervals on its four counts,
 * each bound's other fields derived from that bound's counts (as TFMA's structured values do), and
 * the threshold kept.
 */
@Internal
public final class IntervalValues {
  private IntervalValues() {}

  /**
   * The interval of {@code point} from {@code replicates} (one value per replicate, of the same
   * type), or null for a value without intervals (a message). {@code replicatePoint} is the same
   * metric at the replicates' resolution (their coarser histogram; equal to {@code point} for
   * metrics without one): the interval is computed around it, as the replicates vary around it, and
   * then moved by {@code point − replicatePoint}, so it is centred as TFMA centres it while its
   * width comes from the replicates.
   */
  public static ConfidenceInterval of(
      MetricValue point,
      MetricValue replicatePoint,
      MetricValue[] replicates,
      IntervalEstimator estimator) {
    switch (point.getTypeCase()) {
      case DOUBLE_VALUE -> {
        Interval interval =
            shifted(
                estimator,
                point.getDoubleValue().getValue(),
                replicatePoint.getDoubleValue().getValue(),
                values(replicates, r -> r.getDoubleValue().getValue()));
        return ConfidenceInterval.newBuilder()
            .setLowerBound(MetricValues.ofDouble(interval.lower()))
            .setUpperBound(MetricValues.ofDouble(interval.upper()))
            .setStandardError(MetricValues.ofDouble(interval.standardError()))
            .setDegreesOfFreedom(Int64Value.of(interval.degreesOfFreedom()))
            .build();
      }
      case ARRAY_VALUE -> {
        int n = point.getArrayValue().getFloat64ValuesCount();
        double[] lower = new double[n];
        double[] upper = new double[n];
        double[] errors = new double[n];
        int dof = 0;
        for (int i = 0; i < n; i++) {
          int element = i;
          Interval interval =
              shifted(
                  estimator,
                  point.getArrayValue().getFloat64Values(i),
                  replicatePoint.getArrayValue().getFloat64Values(i),
                  values(replicates, r -> r.getArrayValue().getFloat64Values(element)));
          lower[i] = interval.lower();
          upper[i] = interval.upper();
          errors[i] = interval.standardError();
          dof = interval.degreesOfFreedom();
        }
        return ConfidenceInterval.newBuilder()
            .setLowerBound(array(point.getArrayValue(), lower))
            .setUpperBound(array(point.getArrayValue(), upper))
            .setStandardError(array(point.getArrayValue(), errors))
            .setDegreesOfFreedom(Int64Value.of(dof))
            .build();
      }
      case CONFUSION_MATRIX_AT_THRESHOLDS -> {
        return matrices(
            point.getConfusionMatrixAtThresholds(),
            replicatePoint.getConfusionMatrixAtThresholds(),
            replicates,
            estimator);
      }
      default -> {
        return null;
      }
    }
  }

  /** The interval around {@code replicatePoint}, moved by {@code point − replicatePoint}. */
  private static Interval shifted(
      IntervalEstimator estimator, double point, double replicatePoint, double[] replicates) {
    Interval interval = estimator.interval(replicatePoint, replicates);
    if (point == replicatePoint) {
      return interval;
    }
    double shift = point - replicatePoint;
    return new Interval(
        interval.mean() + shift,
        interval.lower() + shift,
        interval.upper() + shift,
        interval.standardError(),
        interval.degreesOfFreedom());
  }

  private static double[] values(MetricValue[] replicates, ToDoubleFunction<MetricValue> value) {
    double[] result = new double[replicates.length];
    for (int i = 0; i < replicates.length; i++) {
      result[i] = value.applyAsDouble(replicates[i]);
    }
    return result;
  }

  private static MetricValue array(ArrayValue shape, double[] values) {
    ArrayValue.Builder array = shape.toBuilder().clearFloat64Values();
    for (double v : values) {
      array.addFloat64Values(v);
    }
    return MetricValue.newBuilder().setArrayValue(array).build();
  }

  /** The four counts' intervals per threshold; each bound's derived fields from its counts. */
  private static ConfidenceInterval matrices(
      ConfusionMatrixAtThresholds point,
      ConfusionMatrixAtThresholds replicatePoint,
      MetricValue[] replicates,
      IntervalEstimator estimator) {
    int n = point.getMatricesCount();
    ConfusionCounts[] lower = new ConfusionCounts[n];
    ConfusionCounts[] upper = new ConfusionCounts[n];
    ConfusionCounts[] errors = new ConfusionCounts[n];
    int dof = 0;
    for (int i = 0; i < n; i++) {
      ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold matrix = point.getMatrices(i);
      ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold around = replicatePoint.getMatrices(i);
      int m = i;
      Interval tp = count(matrix, around, replicates, m, r -> r.getTruePositives(), estimator);
      Interval fp = count(matrix, around, replicates, m, r -> r.getFalsePositives(), estimator);
      Interval tn = count(matrix, around, replicates, m, r -> r.getTrueNegatives(), estimator);
      Interval fn = count(matrix, around, replicates, m, r -> r.getFalseNegatives(), estimator);
      double t = matrix.getThreshold();
      lower[i] = new ConfusionCounts(t, tp.lower(), fp.lower(), tn.lower(), fn.lower());
      upper[i] = new ConfusionCounts(t, tp.upper(), fp.upper(), tn.upper(), fn.upper());
      errors[i] =
          new ConfusionCounts(
              t, tp.standardError(), fp.standardError(), tn.standardError(), fn.standardError());
      dof = tp.degreesOfFreedom();
    }
    return ConfidenceInterval.newBuilder()
        .setLowerBound(matricesValue(lower))
        .setUpperBound(matricesValue(upper))
        .setStandardError(matricesValue(errors))
        .setDegreesOfFreedom(Int64Value.of(dof))
        .build();
  }

  private static Interval count(
      ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold point,
      ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold replicatePoint,
      MetricValue[] replicates,
      int matrix,
      ToDoubleFunction<ConfusionMatrixAtThresholds.ConfusionMatrixAtThreshold> field,
      IntervalEstimator estimator) {
    return shifted(
        estimator,
        field.applyAsDouble(point),
        field.applyAsDouble(replicatePoint),
        values(
            replicates,
            r -> field.applyAsDouble(r.getConfusionMatrixAtThresholds().getMatrices(matrix))));
  }

  private static MetricValue matricesValue(ConfusionCounts[] counts) {
    return MetricValue.newBuilder()
        .setConfusionMatrixAtThresholds(MetricValues.confusionMatrices(counts))
        .build();
  }
}
