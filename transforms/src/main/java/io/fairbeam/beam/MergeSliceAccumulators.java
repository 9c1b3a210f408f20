package io.fairbeam.beam;

import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.Resampling;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Merges the partial accumulators of one slice (one per bundle that saw the slice, encoded by
 * {@link ModelAccumulators#toBytes}) into the slice's final accumulators, one per model. The inputs
 * are already accumulators, so this CombineFn only merges.
 */
final class MergeSliceAccumulators
    extends Combine.CombineFn<byte[], ModelAccumulators, ModelAccumulators> {
  private static final long serialVersionUID = 1L;

  private final AccumulatorSpec spec;
  private final int modelCount;
  private final Resampling resampling;

  public MergeSliceAccumulators(AccumulatorSpec spec, int modelCount, Resampling resampling) {
    this.spec = spec;
    this.modelCount = modelCount;
    this.resampling = resampling;
  }

  @Override
  public ModelAccumulators createAccumulator() {
    return new ModelAccumulators(spec, modelCount, resampling);
  }

  @Override
  public ModelAccumulators addInput(ModelAccumulators accumulator, byte[] input) {
    accumulator.merge(ModelAccumulators.fromBytes(spec, input));
    return accumulator;
  }

  @Override
  public ModelAccumulators mergeAccumulators(Iterable<ModelAccumulators> accumulators) {
    ModelAccumulators result = null;
    for (ModelAccumulators accumulator : accumulators) {
      if (result == null) {
        result = accumulator;
      } else {
        result.merge(accumulator);
      }
    }
    return result == null ? createAccumulator() : result;
  }

  @Override
  public ModelAccumulators extractOutput(ModelAccumulators accumulator) {
    return accumulator;
  }

  @Override
  public Coder<ModelAccumulators> getAccumulatorCoder(
      CoderRegistry registry, Coder<byte[]> inputCoder) throws CannotProvideCoderException {
    return new ModelAccumulatorsCoder(spec);
  }

  @Override
  public Coder<ModelAccumulators> getDefaultOutputCoder(
      CoderRegistry registry, Coder<byte[]> inputCoder) throws CannotProvideCoderException {
    return new ModelAccumulatorsCoder(spec);
  }
}
