package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.slice.SliceKey;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The part of an evaluation after the per-bundle aggregation, shared by {@link EvaluateRecords} and
 * {@link ReadAndEvaluate}: merge the partial accumulators per slice, derive the metrics and plots,
 * sum the counts into a {@link RunSummary}, and give the {@link ValidationResult}.
 */
final class DeriveResults {
  private DeriveResults() {}

  /** Tags of the outputs of the per-bundle evaluation step. */
  record Tags(
      TupleTag<KV<SliceKey, byte[]>> slices,
      TupleTag<RunCounts> counts,
      TupleTag<BadRecord> badRecords)
      implements java.io.Serializable {
    static Tags create() {
      return new Tags(new TupleTag<>() {}, new TupleTag<>() {}, new TupleTag<>() {});
    }

    TupleTagList additional() {
      return TupleTagList.of(counts).and(badRecords);
    }
  }

  static EvalResult from(
      PCollectionTuple evaluated,
      Tags tags,
      EvalPlan plan,
      RunSummary template,
      ResultContext context) {
    PCollection<KV<SliceKey, byte[]>> partials =
        evaluated
            .get(tags.slices())
            .setCoder(
                org.apache.beam.sdk.coders.KvCoder.of(
                    SliceKeyCoder.of(), org.apache.beam.sdk.coders.ByteArrayCoder.of()));
    PCollection<BadRecord> badRecords =
        evaluated.get(tags.badRecords()).setCoder(ProtoCoder.of(BadRecord.class));
    PCollection<RunSummary> summary =
        evaluated
            .get(tags.counts())
            .setCoder(RunCountsCoder.of())
            .apply("SumCounts", Combine.globally(new MergeRunCounts()))
            .apply("Summarize", ParDo.of(new SummarizeRunFn(template)))
            .setCoder(ProtoCoder.of(RunSummary.class));
    PCollection<ValidationResult> validations =
        summary
            .apply(
                "Validate",
                MapElements.into(TypeDescriptor.of(ValidationResult.class))
                    .via(
                        s ->
                            ValidationResult.newBuilder()
                                .setValidationOk(false)
                                .setMissingThresholds(true)
                                .build()))
            .setCoder(ProtoCoder.of(ValidationResult.class));

    TupleTag<MetricsForSlice> metricsTag = new TupleTag<>() {};
    TupleTag<PlotsForSlice> plotsTag = new TupleTag<>() {};
    PCollectionTuple results =
        partials
            .apply(
                "MergePerSlice",
                Combine.perKey(
                    new MergeSliceAccumulators(
                        plan.accumulatorSpec(), plan.models().size(), plan.resampling())))
            .apply(
                "DeriveMetrics",
                ParDo.of(new ComputeSliceResultsFn(plan, metricsTag, plotsTag))
                    .withOutputTags(metricsTag, TupleTagList.of(plotsTag)));
    return new EvalResult(
        evaluated.getPipeline(),
        results.get(metricsTag).setCoder(ProtoCoder.of(MetricsForSlice.class)),
        results.get(plotsTag).setCoder(ProtoCoder.of(PlotsForSlice.class)),
        validations,
        summary,
        badRecords,
        context);
  }
}
