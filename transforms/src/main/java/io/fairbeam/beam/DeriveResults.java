package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.gate.ConstraintValidation;
import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.slice.SliceKey;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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
    PCollection<RunCounts> totals =
        evaluated
            .get(tags.counts())
            .setCoder(RunCountsCoder.of())
            .apply("SumCounts", Combine.globally(new MergeRunCounts()))
            .setCoder(RunCountsCoder.of());
    PCollection<RunSummary> summary =
        totals
            .apply("Summarize", ParDo.of(new SummarizeRunFn(template)))
            .setCoder(ProtoCoder.of(RunSummary.class));
    PCollection<ConstraintReport> constraints =
        totals
            .apply("JudgeConstraints", ParDo.of(new JudgeConstraintsFn(plan.constraints())))
            .setCoder(ProtoCoder.of(ConstraintReport.class));
    TupleTag<MetricsForSlice> metricsTag = new TupleTag<>() {};
    TupleTag<PlotsForSlice> plotsTag = new TupleTag<>() {};
    TupleTag<SliceValues> valuesTag = new TupleTag<>() {};
    PCollectionTuple results =
        partials
            .apply(
                "MergePerSlice",
                Combine.perKey(
                    new MergeSliceAccumulators(
                        plan.accumulatorSpec(), plan.models().size(), plan.resampling())))
            .apply(
                "DeriveMetrics",
                ParDo.of(new ComputeSliceResultsFn(plan, metricsTag, plotsTag, valuesTag))
                    .withOutputTags(metricsTag, TupleTagList.of(plotsTag).and(valuesTag)));
    TupleTag<MetricsForSlice> crossMetricsTag = new TupleTag<>() {};
    TupleTag<PlotsForSlice> crossPlotsTag = new TupleTag<>() {};
    TupleTag<DisparityReport> disparitiesTag = new TupleTag<>() {};
    PCollectionTuple comparisons =
        results
            .get(valuesTag)
            .setCoder(SliceValuesCoder.of())
            .apply("AllSlices", WithKeys.of(0))
            .setCoder(KvCoder.of(VarIntCoder.of(), SliceValuesCoder.of()))
            .apply("GatherSlices", GroupByKey.create())
            .apply(
                "CompareSlices",
                ParDo.of(new CompareSlicesFn(plan, crossMetricsTag, crossPlotsTag, disparitiesTag))
                    .withOutputTags(
                        crossMetricsTag, TupleTagList.of(crossPlotsTag).and(disparitiesTag)));
    PCollection<MetricsForSlice> metrics =
        PCollectionList.of(results.get(metricsTag).setCoder(ProtoCoder.of(MetricsForSlice.class)))
            .and(comparisons.get(crossMetricsTag).setCoder(ProtoCoder.of(MetricsForSlice.class)))
            .apply("AllMetrics", Flatten.pCollections());
    MetricsValidator validator = plan.validator();
    PCollection<ValidationResult> validations =
        PCollectionList.of(
                metrics
                    .apply(
                        "ValidateSlices",
                        MapElements.into(TypeDescriptor.of(ValidationResult.class))
                            .via(validator::validate))
                    .setCoder(ProtoCoder.of(ValidationResult.class)))
            .and(
                constraints
                    .apply(
                        "ValidateConstraints",
                        MapElements.into(TypeDescriptor.of(ValidationResult.class))
                            .via(ConstraintValidation::of))
                    .setCoder(ProtoCoder.of(ValidationResult.class)))
            .apply("AllValidations", Flatten.pCollections())
            .apply("Validate", Combine.globally(new ValidateFn(plan.validationCombiner())))
            .setCoder(ProtoCoder.of(ValidationResult.class));
    PCollection<PlotsForSlice> plots =
        PCollectionList.of(results.get(plotsTag).setCoder(ProtoCoder.of(PlotsForSlice.class)))
            .and(comparisons.get(crossPlotsTag).setCoder(ProtoCoder.of(PlotsForSlice.class)))
            .apply("AllPlots", Flatten.pCollections());
    return new EvalResult(
        evaluated.getPipeline(),
        metrics,
        plots,
        validations,
        summary,
        badRecords,
        comparisons.get(disparitiesTag).setCoder(ProtoCoder.of(DisparityReport.class)),
        constraints,
        context);
  }
}
