package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.SliceMetricsComputer;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.slice.SliceKey;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Merges the partial accumulators of the slices of one shard ({@link SliceShards}) per slice, and
 * derives each slice's {@code MetricsForSlice} (main output) and {@code PlotsForSlice}, and its
 * {@link SliceValues} for the comparisons between slices when the plan compares slices. It holds
 * the accumulators of one shard's slices at a time: about the run's slices over the shard count.
 */
final class DeriveSliceShardFn
    extends DoFn<KV<Integer, Iterable<KV<SliceKey, byte[]>>>, MetricsForSlice> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final TupleTag<MetricsForSlice> metricsTag;
  private final TupleTag<PlotsForSlice> plotsTag;
  private final TupleTag<SliceValues> valuesTag;
  private final boolean slicesCompared;
  private transient SliceMetricsComputer computer;

  DeriveSliceShardFn(
      EvalPlan plan,
      TupleTag<MetricsForSlice> metricsTag,
      TupleTag<PlotsForSlice> plotsTag,
      TupleTag<SliceValues> valuesTag,
      boolean slicesCompared) {
    this.plan = plan;
    this.metricsTag = metricsTag;
    this.plotsTag = plotsTag;
    this.valuesTag = valuesTag;
    this.slicesCompared = slicesCompared;
  }

  @Setup
  public void setup() {
    computer = new SliceMetricsComputer(plan);
  }

  // The deprecated map field carries TFMA's __ERROR__ message of a suppressed slice.
  @SuppressWarnings("deprecation")
  @ProcessElement
  public void processElement(
      @Element KV<Integer, Iterable<KV<SliceKey, byte[]>>> shard, MultiOutputReceiver out) {
    Map<SliceKey, ModelAccumulators> slices = new HashMap<>();
    for (KV<SliceKey, byte[]> partial : shard.getValue()) {
      ModelAccumulators accumulators =
          ModelAccumulators.fromBytes(plan.accumulatorSpec(), partial.getValue());
      ModelAccumulators merged = slices.putIfAbsent(partial.getKey(), accumulators);
      if (merged != null) {
        merged.merge(accumulators);
      }
    }
    Iterator<Map.Entry<SliceKey, ModelAccumulators>> derive = slices.entrySet().iterator();
    while (derive.hasNext()) {
      Map.Entry<SliceKey, ModelAccumulators> slice = derive.next();
      SliceMetricsComputer.Result result = computer.compute(slice.getKey(), slice.getValue());
      derive.remove();
      out.get(metricsTag).output(result.metrics());
      if (result.plots().getPlotKeysAndValuesCount() > 0 || result.plots().getPlotsCount() > 0) {
        out.get(plotsTag).output(result.plots());
      }
      if (slicesCompared) {
        out.get(valuesTag).output(result.values());
      }
    }
  }
}
