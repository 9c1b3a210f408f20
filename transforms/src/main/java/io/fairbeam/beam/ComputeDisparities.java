package io.fairbeam.beam;

import io.fairbeam.eval.DisparitySummary;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.GroupDisparities;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Fairbeam's group disparities ({@link GroupDisparities}) with no step that holds every slice: the
 * input holds each slice's {@link DisparitySummary} per spec it belongs to (or summaries of several
 * slices already merged), which are combined per spec (a bounded size whatever the number of
 * slices); each spec's disparities are computed with the Overall slice as a side input, and the
 * specs' disparities (a number fixed by the config) meet once for Holm's adjustment into one {@code
 * DisparityReport}.
 */
final class ComputeDisparities
    extends PTransform<PCollection<KV<Integer, DisparitySummary>>, PCollection<DisparityReport>> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final PCollection<SliceValues> slices;

  /** Disparities under {@code plan}, with Overall's values from {@code slices}. */
  ComputeDisparities(EvalPlan plan, PCollection<SliceValues> slices) {
    this.plan = plan;
    this.slices = slices;
  }

  @Override
  public PCollection<DisparityReport> expand(PCollection<KV<Integer, DisparitySummary>> summaries) {
    PCollectionView<Iterable<SliceValues>> overall =
        slices
            .apply("OverallSlice", ParDo.of(new OverallFn()))
            .setCoder(SliceValuesCoder.of())
            .apply("OverallView", View.asIterable());
    return summaries
        .apply(
            "CombinePerSpec",
            Combine.<Integer, DisparitySummary, DisparitySummary>perKey(new MergeSummariesFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DisparitySummaryCoder.of()))
        .apply("PerSpec", ParDo.of(new DisparitiesFn(plan, overall)).withSideInputs(overall))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(ProtoCoder.of(Disparity.class))))
        .apply("AllSpecs", WithKeys.of(0))
        .setCoder(
            KvCoder.of(
                VarIntCoder.of(),
                KvCoder.of(VarIntCoder.of(), ListCoder.of(ProtoCoder.of(Disparity.class)))))
        .apply("GatherSpecs", GroupByKey.create())
        .apply("AdjustPValues", ParDo.of(new ReportFn(plan)))
        .setCoder(ProtoCoder.of(DisparityReport.class));
  }

  /**
   * Merges the summaries of one spec; a summary's extremes are immutable, so inputs stay as they
   * are.
   */
  private static final class MergeSummariesFn
      extends Combine.CombineFn<DisparitySummary, DisparitySummary, DisparitySummary> {
    private static final long serialVersionUID = 1L;

    @Override
    public DisparitySummary createAccumulator() {
      return new DisparitySummary();
    }

    @Override
    public DisparitySummary addInput(DisparitySummary accumulator, DisparitySummary input) {
      return accumulator.merge(input);
    }

    @Override
    public DisparitySummary mergeAccumulators(Iterable<DisparitySummary> accumulators) {
      DisparitySummary merged = new DisparitySummary();
      accumulators.forEach(merged::merge);
      return merged;
    }

    @Override
    public DisparitySummary extractOutput(DisparitySummary accumulator) {
      return accumulator;
    }

    @Override
    public Coder<DisparitySummary> getAccumulatorCoder(
        CoderRegistry registry, Coder<DisparitySummary> inputCoder) {
      return DisparitySummaryCoder.of();
    }
  }

  private static final class OverallFn extends DoFn<SliceValues, SliceValues> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void processElement(@Element SliceValues slice, OutputReceiver<SliceValues> out) {
      if (slice.key().isOverall()) {
        out.output(slice);
      }
    }
  }

  private static final class DisparitiesFn
      extends DoFn<KV<Integer, DisparitySummary>, KV<Integer, List<Disparity>>> {
    private static final long serialVersionUID = 1L;
    private final EvalPlan plan;
    private final PCollectionView<Iterable<SliceValues>> overall;
    private transient GroupDisparities disparities;

    DisparitiesFn(EvalPlan plan, PCollectionView<Iterable<SliceValues>> overall) {
      this.plan = plan;
      this.overall = overall;
    }

    @Setup
    public void setup() {
      disparities = new GroupDisparities(plan);
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, DisparitySummary> spec,
        ProcessContext context,
        OutputReceiver<KV<Integer, List<Disparity>>> out) {
      Iterator<SliceValues> overallSlice = context.sideInput(overall).iterator();
      out.output(
          KV.of(
              spec.getKey(),
              disparities.disparities(
                  spec.getKey(),
                  spec.getValue(),
                  overallSlice.hasNext() ? overallSlice.next() : null)));
    }
  }

  private static final class ReportFn
      extends DoFn<KV<Integer, Iterable<KV<Integer, List<Disparity>>>>, DisparityReport> {
    private static final long serialVersionUID = 1L;
    private final EvalPlan plan;

    ReportFn(EvalPlan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, Iterable<KV<Integer, List<Disparity>>>> specs,
        OutputReceiver<DisparityReport> out) {
      Map<Integer, List<Disparity>> bySpec = new TreeMap<>();
      specs.getValue().forEach(spec -> bySpec.put(spec.getKey(), spec.getValue()));
      out.output(new GroupDisparities(plan).report(bySpec));
    }
  }
}
