package io.fairbeam.beam;

import io.fairbeam.eval.RunCounts;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/** Sums the {@link RunCounts} of all bundles; the empty input gives zero counts. */
final class MergeRunCounts extends Combine.CombineFn<RunCounts, RunCounts, RunCounts> {
  private static final long serialVersionUID = 1L;

  @Override
  public RunCounts createAccumulator() {
    return new RunCounts();
  }

  @Override
  public RunCounts addInput(RunCounts accumulator, RunCounts input) {
    accumulator.merge(input);
    return accumulator;
  }

  @Override
  public RunCounts mergeAccumulators(Iterable<RunCounts> accumulators) {
    RunCounts result = new RunCounts();
    for (RunCounts counts : accumulators) {
      result.merge(counts);
    }
    return result;
  }

  @Override
  public RunCounts extractOutput(RunCounts accumulator) {
    return accumulator;
  }

  @Override
  public Coder<RunCounts> getAccumulatorCoder(CoderRegistry registry, Coder<RunCounts> input) {
    return RunCountsCoder.of();
  }

  @Override
  public Coder<RunCounts> getDefaultOutputCoder(CoderRegistry registry, Coder<RunCounts> input) {
    return RunCountsCoder.of();
  }
}
