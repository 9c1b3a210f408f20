package io.fairbeam.beam;

import io.fairbeam.gate.ValidationCombiner;
import io.fairbeam.proto.tfma.ValidationResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DelegateCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Merges the slices' validations (and the fairness constraints') into the run's one {@code
 * ValidationResult}, as TFMA's {@code CombineValidations} does, in a mutable {@link
 * ValidationCombiner.Accumulator} (encoded as the result it holds).
 */
final class ValidateFn
    extends Combine.CombineFn<ValidationResult, ValidationCombiner.Accumulator, ValidationResult> {
  private static final long serialVersionUID = 1L;

  private final ValidationCombiner combiner;

  ValidateFn(ValidationCombiner combiner) {
    this.combiner = combiner;
  }

  @Override
  public ValidationCombiner.Accumulator createAccumulator() {
    return new ValidationCombiner.Accumulator();
  }

  @Override
  public ValidationCombiner.Accumulator addInput(
      ValidationCombiner.Accumulator accumulator, ValidationResult partial) {
    return accumulator.add(partial);
  }

  @Override
  public ValidationCombiner.Accumulator mergeAccumulators(
      Iterable<ValidationCombiner.Accumulator> accumulators) {
    ValidationCombiner.Accumulator merged = new ValidationCombiner.Accumulator();
    accumulators.forEach(merged::add);
    return merged;
  }

  @Override
  public ValidationResult extractOutput(ValidationCombiner.Accumulator accumulator) {
    return combiner.finish(accumulator.toResult());
  }

  @Override
  public Coder<ValidationCombiner.Accumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<ValidationResult> inputCoder) {
    return DelegateCoder.of(
        ProtoCoder.of(ValidationResult.class),
        ValidationCombiner.Accumulator::toResult,
        ValidationCombiner.Accumulator::of);
  }

  @Override
  public Coder<ValidationResult> getDefaultOutputCoder(
      CoderRegistry registry, Coder<ValidationResult> inputCoder) {
    return ProtoCoder.of(ValidationResult.class);
  }
}
