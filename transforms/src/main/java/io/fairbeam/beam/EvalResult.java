package io.fairbeam.beam;

import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.DecisionCountsForSlice;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What an evaluation produces, as typed {@link PCollection}s with protobuf coders: TFMA's {@link
 * MetricsForSlice} (one per slice) and {@link PlotsForSlice} (one per slice with plots), one {@link
 * ValidationResult}, Fairbeam's {@link RunSummary} (records read, evaluated and skipped), and the
 * {@link BadRecord}s skipped when a dead-letter output was asked for, and Fairbeam's group
 * disparities ({@link DisparityReport}) and the inputs of its decision intervals per slice ({@link
 * DecisionCountsForSlice}). Write it in TFMA's layout with {@code
 * result.apply(FairnessEval.write().to(directory))}, or use the collections in the rest of the
 * pipeline.
 */
public final class EvalResult implements PInput, POutput {
  private final Pipeline pipeline;
  private final PCollection<MetricsForSlice> metrics;
  private final PCollection<PlotsForSlice> plots;
  private final PCollection<ValidationResult> validations;
  private final PCollection<RunSummary> summary;
  private final PCollection<BadRecord> badRecords;
  private final PCollection<DisparityReport> disparities;
  private final PCollection<ConstraintReport> constraints;
  private final PCollection<DecisionCountsForSlice> decisionCounts;
  private final ResultContext context;

  EvalResult(
      Pipeline pipeline,
      PCollection<MetricsForSlice> metrics,
      PCollection<PlotsForSlice> plots,
      PCollection<ValidationResult> validations,
      PCollection<RunSummary> summary,
      PCollection<BadRecord> badRecords,
      PCollection<DisparityReport> disparities,
      PCollection<ConstraintReport> constraints,
      PCollection<DecisionCountsForSlice> decisionCounts,
      ResultContext context) {
    this.decisionCounts = decisionCounts;
    this.constraints = constraints;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.plots = plots;
    this.validations = validations;
    this.summary = summary;
    this.badRecords = badRecords;
    this.disparities = disparities;
    this.context = context;
  }

  /** One {@code MetricsForSlice} per slice (and model), with TFMA's metric keys. */
  public PCollection<MetricsForSlice> metrics() {
    return metrics;
  }

  /** One {@code PlotsForSlice} per slice whose metrics include plots. */
  public PCollection<PlotsForSlice> plots() {
    return plots;
  }

  /** The one {@code ValidationResult} of the evaluation. */
  public PCollection<ValidationResult> validations() {
    return validations;
  }

  /** One {@code RunSummary}: records read, examples evaluated, records skipped by reason. */
  public PCollection<RunSummary> summary() {
    return summary;
  }

  /**
   * The records skipped under {@link io.fairbeam.eval.BadRecordPolicy#SKIP}, when the evaluation
   * was built {@code withBadRecordOutput()}; empty otherwise.
   */
  public PCollection<BadRecord> badRecords() {
    return badRecords;
  }

  /**
   * One {@code DisparityReport}: for every slicing spec with {@code feature_keys} and every metric,
   * how far apart its slices are (max − min, min / max, largest difference to Overall), with
   * intervals and Holm-adjusted significance when confidence intervals are computed.
   */
  public PCollection<DisparityReport> disparities() {
    return disparities;
  }

  /**
   * One {@code ConstraintReport}: the verdict on each of the config's {@code fairness_constraints}
   * (none when it has none), which also joins {@link #validations()}.
   */
  public PCollection<ConstraintReport> constraints() {
    return constraints;
  }

  /**
   * Per slice with rates or AUCs, the counts behind each rate and each AUC's positives and
   * negatives: what Fairbeam's decision intervals (the intervals its findings and gates decide on)
   * are computed from, with the settings {@code RunSummary.decision_intervals} records.
   */
  public PCollection<DecisionCountsForSlice> decisionCounts() {
    return decisionCounts;
  }

  /** What the writer needs besides the collections: the plan, eval_config.json, the inputs. */
  ResultContext context() {
    return context;
  }

  /** Applies {@code transform} to this result, e.g. {@code FairnessEval.write().to(dir)}. */
  public <OutputT extends POutput> OutputT apply(
      PTransform<? super EvalResult, OutputT> transform) {
    return Pipeline.applyTransform(this, transform);
  }

  /** Applies {@code transform} to this result under the step name {@code name}. */
  public <OutputT extends POutput> OutputT apply(
      String name, PTransform<? super EvalResult, OutputT> transform) {
    return Pipeline.applyTransform(name, this, transform);
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(
        new TupleTag<MetricsForSlice>("metrics"), metrics,
        new TupleTag<PlotsForSlice>("plots"), plots,
        new TupleTag<ValidationResult>("validations"), validations,
        new TupleTag<RunSummary>("summary"), summary,
        new TupleTag<BadRecord>("badRecords"), badRecords,
        new TupleTag<DisparityReport>("disparities"), disparities,
        new TupleTag<ConstraintReport>("constraints"), constraints,
        new TupleTag<DecisionCountsForSlice>("decisionCounts"), decisionCounts);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
