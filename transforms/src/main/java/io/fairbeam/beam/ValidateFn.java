package io.fairbeam.beam;

import io.fairbeam.gate.ValidationCombiner;
import io.fairbeam.proto.tfma.ValidationResult;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Merges the slices' validations (and the fairness constraints') into the run's one {@code
 * ValidationResult}, as TFMA's {@code CombineValidations} does.
 */
final class ValidateFn
    extends Combine.CombineFn<ValidationResult, ValidationResult, ValidationResult> {
  private static final long serialVersionUID = 1L;

  private final ValidationCombiner combiner;

  ValidateFn(ValidationCombiner combiner) {
    this.combiner = combiner;
  }

  @Override
  public ValidationResult createAccumulator() {
    return ValidationCombiner.empty();
  }

  @Override
  public ValidationResult addInput(ValidationResult accumulator, ValidationResult partial) {
    return ValidationCombiner.merge(accumulator, partial);
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
      CoderRegistry registry, Coder<ValidationResult> inputCoder)
      throws CannotProvideCoderException {
    return ProtoCoder.of(ValidationResult.class);
  }

  @Override
  public Coder<ValidationResult> getDefaultOutputCoder(
      CoderRegistry registry, Coder<ValidationResult> inputCoder)
      throws CannotProvideCoderException {
    return ProtoCoder.of(ValidationResult.class);
  }
}
