package io.fairbeam.beam;

import io.fairbeam.eval.CrossSliceComputer;
import io.fairbeam.eval.DisparitySummary;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.GroupDisparities;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.gate.ConstraintValidation;
import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.DecisionCountsForSlice;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The part of an evaluation after the per-bundle aggregation, shared by {@link EvaluateRecords} and
 * {@link ReadAndEvaluate}: merge the partial accumulators per slice and derive the metrics and
 * plots, shard by shard ({@link SliceShards}); compare slices ({@link CompareWithBaselines}, {@link
 * ComputeDisparities}); sum the counts into a {@link RunSummary}; and give the {@link
 * ValidationResult}. Per-slice work is distributed by key, and no step holds every slice's values:
 * what must meet in one place (the baselines of cross slices, a spec's disparities, the validation)
 * is a bounded summary.
 */
final class DeriveResults {
  private DeriveResults() {}

  /**
   * Tags of the outputs of the per-bundle evaluation step, and the number of slice shards its
   * {@link SliceBatch}es are keyed by.
   */
  record Tags(
      TupleTag<KV<Integer, byte[]>> slices,
      TupleTag<RunCounts> counts,
      TupleTag<BadRecord> badRecords,
      int sliceShards)
      implements java.io.Serializable {
    /** The tags, with the shard count of a pipeline run with {@code options}. */
    static Tags create(PipelineOptions options) {
      return new Tags(
          new TupleTag<>() {},
          new TupleTag<>() {},
          new TupleTag<>() {},
          SliceShards.count(options));
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
    PCollection<KV<Integer, byte[]>> partials =
        evaluated.get(tags.slices()).setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()));
    PCollection<BadRecord> badRecords =
        evaluated.get(tags.badRecords()).setCoder(ProtoCoder.of(BadRecord.class));
    PCollection<RunCounts> totals =
        evaluated
            .get(tags.counts())
            .setCoder(RunCountsCoder.of())
            .apply("SumCounts", CombineWithDefault.of(new MergeRunCounts(), RunCountsCoder.of()));
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
    TupleTag<KV<Integer, DisparitySummary>> summariesTag = new TupleTag<>() {};
    TupleTag<ValidationResult> validationsTag = new TupleTag<>() {};
    TupleTag<DecisionCountsForSlice> decisionsTag = new TupleTag<>() {};
    boolean crossSlices = new CrossSliceComputer(plan).any();
    boolean disparities = new GroupDisparities(plan).any();
    PCollectionTuple results =
        partials
            .apply("GroupShards", GroupByKey.create())
            .apply(
                "DeriveMetrics",
                ParDo.of(
                        new DeriveSliceShardFn(
                            plan,
                            metricsTag,
                            plotsTag,
                            valuesTag,
                            summariesTag,
                            validationsTag,
                            decisionsTag,
                            crossSlices))
                    .withOutputTags(
                        metricsTag,
                        TupleTagList.of(plotsTag)
                            .and(valuesTag)
                            .and(summariesTag)
                            .and(validationsTag)
                            .and(decisionsTag)));
    PCollection<SliceValues> values = results.get(valuesTag).setCoder(SliceValuesCoder.of());
    PCollection<KV<Integer, DisparitySummary>> summaries =
        results
            .get(summariesTag)
            .setCoder(KvCoder.of(VarIntCoder.of(), DisparitySummaryCoder.of()));
    PCollectionList<MetricsForSlice> allMetrics =
        PCollectionList.of(results.get(metricsTag).setCoder(ProtoCoder.of(MetricsForSlice.class)));
    PCollectionList<PlotsForSlice> allPlots =
        PCollectionList.of(results.get(plotsTag).setCoder(ProtoCoder.of(PlotsForSlice.class)));
    MetricsValidator validator = plan.validator();
    PCollectionList<ValidationResult> partialValidations =
        PCollectionList.of(
            results.get(validationsTag).setCoder(ProtoCoder.of(ValidationResult.class)));
    if (crossSlices) {
      CompareWithBaselines compare = new CompareWithBaselines(plan);
      PCollectionTuple cross = values.apply("CompareSlices", compare);
      PCollection<MetricsForSlice> crossMetrics = cross.get(compare.metrics);
      allMetrics = allMetrics.and(crossMetrics);
      allPlots = allPlots.and(cross.get(compare.plots));
      if (validator.checksAnything()) {
        // Differences between slices have no decision intervals: TFMA's intervals judge them.
        partialValidations =
            partialValidations.and(
                crossMetrics
                    .apply(
                        "ValidateCrossSlices",
                        MapElements.into(TypeDescriptor.of(ValidationResult.class))
                            .via(validator::validate))
                    .setCoder(ProtoCoder.of(ValidationResult.class)));
      }
    }
    PCollection<DisparityReport> disparityReport =
        disparities
            ? summaries.apply("GroupDisparities", new ComputeDisparities(plan, values))
            : evaluated
                .getPipeline()
                .apply("NoDisparities", Create.empty(ProtoCoder.of(DisparityReport.class)));
    PCollection<MetricsForSlice> metrics = allMetrics.apply("AllMetrics", Flatten.pCollections());
    partialValidations =
        partialValidations.and(
            constraints
                .apply(
                    "ValidateConstraints",
                    MapElements.into(TypeDescriptor.of(ValidationResult.class))
                        .via(ConstraintValidation::of))
                .setCoder(ProtoCoder.of(ValidationResult.class)));
    PCollection<ValidationResult> validations =
        partialValidations
            .apply("AllValidations", Flatten.pCollections())
            .apply(
                "Validate",
                CombineWithDefault.of(
                    new ValidateFn(plan.validationCombiner()),
                    ProtoCoder.of(ValidationResult.class)));
    PCollection<PlotsForSlice> plots = allPlots.apply("AllPlots", Flatten.pCollections());
    return new EvalResult(
        evaluated.getPipeline(),
        metrics,
        plots,
        validations,
        summary,
        badRecords,
        disparityReport,
        constraints,
        results.get(decisionsTag).setCoder(ProtoCoder.of(DecisionCountsForSlice.class)),
        context);
  }
}
