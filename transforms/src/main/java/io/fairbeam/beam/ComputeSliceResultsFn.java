package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.SliceMetricsComputer;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.slice.SliceKey;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Derives each slice's {@code MetricsForSlice} (main output) and {@code PlotsForSlice}, and its
 * {@link SliceValues} for the comparisons between slices when the plan compares slices.
 */
final class ComputeSliceResultsFn extends DoFn<KV<SliceKey, ModelAccumulators>, MetricsForSlice> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final TupleTag<MetricsForSlice> metricsTag;
  private final TupleTag<PlotsForSlice> plotsTag;
  private final TupleTag<SliceValues> valuesTag;
  private final boolean slicesCompared;
  private transient SliceMetricsComputer computer;

  ComputeSliceResultsFn(
      EvalPlan plan,
      TupleTag<MetricsForSlice> metricsTag,
      TupleTag<PlotsForSlice> plotsTag,
      TupleTag<SliceValues> valuesTag) {
    this.plan = plan;
    this.metricsTag = metricsTag;
    this.plotsTag = plotsTag;
    this.valuesTag = valuesTag;
    this.slicesCompared = CompareSlicesFn.needed(plan);
  }

  @Setup
  public void setup() {
    computer = new SliceMetricsComputer(plan);
  }

  // The deprecated map field carries TFMA's __ERROR__ message of a suppressed slice.
  @SuppressWarnings("deprecation")
  @ProcessElement
  public void processElement(
      @Element KV<SliceKey, ModelAccumulators> slice, MultiOutputReceiver out) {
    SliceMetricsComputer.Result result = computer.compute(slice.getKey(), slice.getValue());
    out.get(metricsTag).output(result.metrics());
    if (result.plots().getPlotKeysAndValuesCount() > 0 || result.plots().getPlotsCount() > 0) {
      out.get(plotsTag).output(result.plots());
    }
    if (slicesCompared) {
      out.get(valuesTag).output(result.values());
    }
  }
}
