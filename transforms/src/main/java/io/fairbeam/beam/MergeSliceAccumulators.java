package io.fairbeam.beam;

import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.SliceAccumulator;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Merges the partial accumulators of one slice (one per bundle that saw the slice, encoded by
 * {@link SliceAccumulator#toBytes}) into the slice's final accumulator. The inputs are already
 * accumulators, so this CombineFn only merges.
 */
public final class MergeSliceAccumulators
    extends Combine.CombineFn<byte[], SliceAccumulator, SliceAccumulator> {
  private static final long serialVersionUID = 1L;

  private final AccumulatorSpec spec;

  public MergeSliceAccumulators(AccumulatorSpec spec) {
    this.spec = spec;
  }

  @Override
  public SliceAccumulator createAccumulator() {
    return new SliceAccumulator(spec);
  }

  @Override
  public SliceAccumulator addInput(SliceAccumulator accumulator, byte[] input) {
    accumulator.merge(SliceAccumulator.fromBytes(spec, input));
    return accumulator;
  }

  @Override
  public SliceAccumulator mergeAccumulators(Iterable<SliceAccumulator> accumulators) {
    SliceAccumulator result = null;
    for (SliceAccumulator accumulator : accumulators) {
      if (result == null) {
        result = accumulator;
      } else {
        result.merge(accumulator);
      }
    }
    return result == null ? createAccumulator() : result;
  }

  @Override
  public SliceAccumulator extractOutput(SliceAccumulator accumulator) {
    return accumulator;
  }

  @Override
  public Coder<SliceAccumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<byte[]> inputCoder)
      throws CannotProvideCoderException {
    return new SliceAccumulatorCoder(spec);
  }

  @Override
  public Coder<SliceAccumulator> getDefaultOutputCoder(
      CoderRegistry registry, Coder<byte[]> inputCoder)
      throws CannotProvideCoderException {
    return new SliceAccumulatorCoder(spec);
  }
}
