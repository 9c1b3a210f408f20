package io.fairbeam.beam;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fairbeam.eval.DecisionCounts;
import io.fairbeam.eval.DisparitySummary;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.GroupDisparities;
import io.fairbeam.eval.SliceMetricsComputer;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.proto.DecisionCountsForSlice;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.stats.Bounds;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.PairedDifferenceInterval;
import io.fairbeam.stats.Proportion;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Merges the partial accumulators of the slices of one shard ({@link SliceShards}) per slice, and
 * derives each slice's {@code MetricsForSlice} (main output), {@code PlotsForSlice} and {@code
 * DecisionCountsForSlice} (what its decision intervals are computed from); for the comparisons
 * between slices, the {@link SliceValues} of every slice when the plan has cross slices (else of
 * Overall alone, which disparities compare with), and the shard's {@link DisparitySummary} per
 * spec, merged here so that a shard sends one per spec rather than one per slice; and, when the
 * config has thresholds, each slice's validation, judged here where the slice's decision intervals
 * (the score intervals of its rates) are at hand. It holds the accumulators of one shard's slices
 * at a time: about the run's slices over the shard count.
 */
final class DeriveSliceShardFn extends DoFn<KV<Integer, Iterable<byte[]>>, MetricsForSlice> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final TupleTag<MetricsForSlice> metricsTag;
  private final TupleTag<PlotsForSlice> plotsTag;
  private final TupleTag<SliceValues> valuesTag;
  private final TupleTag<KV<Integer, DisparitySummary>> summariesTag;
  private final TupleTag<ValidationResult> validationsTag;
  private final TupleTag<DecisionCountsForSlice> decisionsTag;
  private final boolean crossSlices;
  private transient SliceMetricsComputer computer;
  private transient GroupDisparities disparities;
  private transient MetricsValidator validator;
  private transient List<MetricKey> rateKeys;

  DeriveSliceShardFn(
      EvalPlan plan,
      TupleTag<MetricsForSlice> metricsTag,
      TupleTag<PlotsForSlice> plotsTag,
      TupleTag<SliceValues> valuesTag,
      TupleTag<KV<Integer, DisparitySummary>> summariesTag,
      TupleTag<ValidationResult> validationsTag,
      TupleTag<DecisionCountsForSlice> decisionsTag,
      boolean crossSlices) {
    this.plan = plan;
    this.metricsTag = metricsTag;
    this.plotsTag = plotsTag;
    this.valuesTag = valuesTag;
    this.summariesTag = summariesTag;
    this.validationsTag = validationsTag;
    this.decisionsTag = decisionsTag;
    this.crossSlices = crossSlices;
  }

  @Setup
  public void setup() {
    computer = new SliceMetricsComputer(plan);
    disparities = new GroupDisparities(plan);
    validator = plan.validator();
    rateKeys = computer.rateKeys();
  }

  // The deprecated map field carries TFMA's __ERROR__ message of a suppressed slice.
  @SuppressWarnings("deprecation")
  @ProcessElement
  public void processElement(@Element KV<Integer, Iterable<byte[]>> shard, MultiOutputReceiver out)
      throws InvalidProtocolBufferException {
    // Merged by encoded key: equal keys have equal bytes, and a key is parsed once per slice.
    Map<ByteString, ModelAccumulators> slices = new HashMap<>();
    for (byte[] batch : shard.getValue()) {
      SliceBatch.forEach(
          batch,
          (key, bytes) -> {
            ModelAccumulators accumulators =
                ModelAccumulators.fromBytes(plan.accumulatorSpec(), bytes);
            ModelAccumulators merged = slices.putIfAbsent(key, accumulators);
            if (merged != null) {
              merged.merge(accumulators);
            }
          });
    }
    Map<Integer, DisparitySummary> summaries = new TreeMap<>();
    Iterator<Map.Entry<ByteString, ModelAccumulators>> derive = slices.entrySet().iterator();
    while (derive.hasNext()) {
      Map.Entry<ByteString, ModelAccumulators> entry = derive.next();
      SliceKey key = SliceKey.fromProto(io.fairbeam.proto.tfma.SliceKey.parseFrom(entry.getKey()));
      SliceMetricsComputer.Result result = computer.compute(key, entry.getValue());
      derive.remove();
      out.get(metricsTag).output(result.metrics());
      if (result.plots().getPlotKeysAndValuesCount() > 0 || result.plots().getPlotsCount() > 0) {
        out.get(plotsTag).output(result.plots());
      }
      DecisionCountsForSlice decisionCounts =
          DecisionCounts.of(result.values(), result.pairedChanges(), rateKeys);
      if (decisionCounts != null) {
        out.get(decisionsTag).output(decisionCounts);
      }
      if (crossSlices || (disparities.any() && key.isOverall())) {
        out.get(valuesTag).output(result.values());
      }
      if (validator.checksAnything()) {
        out.get(validationsTag)
            .output(validator.validate(result.metrics(), decisionIntervals(result)));
      }
      if (disparities.any()) {
        disparities
            .summarize(result.values())
            .forEach((spec, summary) -> summaries.merge(spec, summary, DisparitySummary::merge));
      }
    }
    summaries.forEach((spec, summary) -> out.get(summariesTag).output(KV.of(spec, summary)));
  }

  /**
   * The decision interval of a rate of {@code result} that has examples behind it, of an AUC with
   * an estimate, or of a rate's change from the baseline model on the same examples (Newcombe's
   * paired interval); null for other metrics. Computed only when a threshold asks for it.
   */
  private Function<MetricKey, Bounds> decisionIntervals(SliceMetricsComputer.Result result) {
    SliceValues values = result.values();
    return key -> {
      if (key.getIsDiff()) {
        PairedDifferenceInterval.Table change = result.pairedChanges().get(key);
        return change == null || !(change.n() > 0)
            ? null
            : PairedDifferenceInterval.of(change, plan.decisions().level());
      }
      Proportion rate = values.proportions().get(key);
      if (rate != null) {
        return rate.n() == 0 ? null : plan.decisions().interval(rate);
      }
      DeLongAucInterval.Estimate auc = values.aucs().get(key);
      return auc == null ? null : plan.decisions().aucInterval(auc);
    };
  }
}
