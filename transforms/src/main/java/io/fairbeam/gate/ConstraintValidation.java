package io.fairbeam.gate;

import com.google.protobuf.DoubleValue;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.ConstraintResult;
import io.fairbeam.proto.tfma.GenericValueThreshold;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricThreshold;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.proto.tfma.SliceKey;
import io.fairbeam.proto.tfma.ValidationFailure;
import io.fairbeam.proto.tfma.ValidationResult;

/**
 * The fairness constraints' part of the run's {@code ValidationResult}: each failing constraint is
 * a failure on the Overall slice, under the metric key {@code fairness_constraints/<name>} with the
 * threshold "upper bound of g ≤ 0", its value that bound, and its message the verdict in words. So
 * TFMA's loaders, the TFX Evaluator and every reader of {@code validations.tfrecord} see it.
 */
public final class ConstraintValidation {
  /** The prefix of the metric key under which a failing constraint is reported. */
  public static final String KEY_PREFIX = "fairness_constraints/";

  private ConstraintValidation() {}

  /** A partial result to merge with the slices' validations. */
  public static ValidationResult of(ConstraintReport report) {
    MetricsValidationForSlice.Builder overall =
        MetricsValidationForSlice.newBuilder().setSliceKey(SliceKey.getDefaultInstance());
    for (ConstraintResult c : report.getConstraintsList()) {
      if (c.getPassed()) {
        continue;
      }
      overall.addFailures(
          ValidationFailure.newBuilder()
              .setMetricKey(
                  MetricKey.newBuilder()
                      .setName(KEY_PREFIX + c.getName())
                      .setModelName(c.getModelName()))
              .setMetricThreshold(
                  MetricThreshold.newBuilder()
                      .setValueThreshold(
                          GenericValueThreshold.newBuilder().setUpperBound(DoubleValue.of(0))))
              .setMetricValue(
                  MetricValue.newBuilder().setDoubleValue(DoubleValue.of(c.getGUpperBound())))
              .setMessage(c.getMessage()));
    }
    ValidationResult.Builder result = ValidationResult.newBuilder().setValidationOk(true);
    if (overall.getFailuresCount() > 0) {
      result.setValidationOk(false).addMetricValidationsPerSlice(overall);
    }
    return result.build();
  }
}
