package io.fairbeam.beam;

import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.gate.ValidationCombiner;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Validates every slice's metrics against the config's thresholds and merges the results into the
 * run's one {@code ValidationResult}, as TFMA's {@code validate_metrics} and {@code
 * CombineValidations} do.
 */
final class ValidateFn
    extends Combine.CombineFn<MetricsForSlice, ValidationResult, ValidationResult> {
  private static final long serialVersionUID = 1L;

  private final MetricsValidator validator;
  private final ValidationCombiner combiner;

  ValidateFn(MetricsValidator validator, ValidationCombiner combiner) {
    this.validator = validator;
    this.combiner = combiner;
  }

  @Override
  public ValidationResult createAccumulator() {
    return ValidationCombiner.empty();
  }

  @Override
  public ValidationResult addInput(ValidationResult accumulator, MetricsForSlice slice) {
    return ValidationCombiner.merge(accumulator, validator.validate(slice));
  }

  @Override
  public ValidationResult mergeAccumulators(Iterable<ValidationResult> accumulators) {
    ValidationResult merged = ValidationCombiner.empty();
    for (ValidationResult a : accumulators) {
      merged = ValidationCombiner.merge(merged, a);
    }
    return merged;
  }

  @Override
  public ValidationResult extractOutput(ValidationResult accumulator) {
    return combiner.finish(accumulator);
  }

  @Override
  public Coder<ValidationResult> getAccumulatorCoder(
      CoderRegistry registry, Coder<MetricsForSlice> inputCoder)
      throws CannotProvideCoderException {
    return ProtoCoder.of(ValidationResult.class);
  }

  @Override
  public Coder<ValidationResult> getDefaultOutputCoder(
      CoderRegistry registry, Coder<MetricsForSlice> inputCoder)
      throws CannotProvideCoderException {
    return ProtoCoder.of(ValidationResult.class);
  }
}
