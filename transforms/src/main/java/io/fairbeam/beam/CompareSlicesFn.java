package io.fairbeam.beam;

import io.fairbeam.eval.CrossSliceComputer;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.GroupDisparities;
import io.fairbeam.eval.SliceMetricsComputer;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Compares the slices with each other once all are derived: TFMA's cross-slice records (main
 * output, with their empty {@code PlotsForSlice}) and Fairbeam's group disparities (one {@code
 * DisparityReport}). All slices' values arrive under one key; their number is bounded by the
 * config, not by the data.
 */
final class CompareSlicesFn extends DoFn<KV<Integer, Iterable<SliceValues>>, MetricsForSlice> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final TupleTag<MetricsForSlice> metricsTag;
  private final TupleTag<PlotsForSlice> plotsTag;
  private final TupleTag<DisparityReport> disparitiesTag;

  CompareSlicesFn(
      EvalPlan plan,
      TupleTag<MetricsForSlice> metricsTag,
      TupleTag<PlotsForSlice> plotsTag,
      TupleTag<DisparityReport> disparitiesTag) {
    this.plan = plan;
    this.metricsTag = metricsTag;
    this.plotsTag = plotsTag;
    this.disparitiesTag = disparitiesTag;
  }

  /**
   * Whether {@code plan} compares slices at all (cross-slice specs, or a spec with {@code
   * feature_keys} for disparities); if not, no slice's values need to reach this step.
   */
  static boolean needed(EvalPlan plan) {
    return new CrossSliceComputer(plan).any() || new GroupDisparities(plan).any();
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, Iterable<SliceValues>> slices, MultiOutputReceiver out) {
    List<SliceValues> all = new ArrayList<>();
    slices.getValue().forEach(all::add);
    for (SliceMetricsComputer.Result cross : new CrossSliceComputer(plan).compute(all)) {
      out.get(metricsTag).output(cross.metrics());
      out.get(plotsTag).output(cross.plots());
    }
    out.get(disparitiesTag).output(new GroupDisparities(plan).compute(all));
  }
}
