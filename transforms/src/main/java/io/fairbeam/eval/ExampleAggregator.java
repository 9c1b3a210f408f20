package io.fairbeam.eval;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureKind;
import io.fairbeam.extract.FeatureValues;
import io.fairbeam.metrics.PreparedExample;
import io.fairbeam.metrics.SliceAccumulator;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceKeyExtractor;
import io.fairbeam.util.IntList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates decoded examples into per-slice accumulators: it checks the label, prediction and
 * weight of each example, finds its slices, and adds it to each slice's {@link SliceAccumulator}.
 * A record that cannot be evaluated is handled by the plan's {@link BadRecordPolicy}.
 *
 * <p>Plain Java: the Beam layer keeps one per worker thread and drains it at the end of each
 * bundle, so only accumulators, never examples, travel through the shuffle.
 */
public final class ExampleAggregator {
  private final EvalPlan plan;
  private final SliceKeyExtractor slicer;
  private final int labelSlot;
  private final int predictionSlot;
  private final int weightSlot;
  private final List<SliceAccumulator> accumulators = new ArrayList<>();
  private final PreparedExample prepared;
  private RunCounts counts = new RunCounts();

  public ExampleAggregator(EvalPlan plan) {
    this.plan = plan;
    this.slicer = new SliceKeyExtractor(plan.slicingSpecs(), plan.features());
    this.labelSlot = plan.features().slotOf(plan.labelKey());
    this.predictionSlot = plan.features().slotOf(plan.predictionKey());
    this.weightSlot = plan.weightKey() == null ? -1 : plan.features().slotOf(plan.weightKey());
    this.prepared = new PreparedExample(plan.accumulatorSpec());
  }

  /**
   * Evaluates one example read from record {@code recordIndex} of {@code file}.
   *
   * @throws BadRecordException under {@link BadRecordPolicy#FAIL} when the example is unusable
   */
  public void add(ExampleFeatures example, String file, long recordIndex) {
    counts.recordRead();
    double label = number(example, labelSlot, "label_key", file, recordIndex);
    if (Double.isNaN(label)) {
      return;
    }
    if (label < 0.0 || label > 1.0) {
      bad("label '" + plan.labelKey() + "' outside [0, 1]", file, recordIndex,
          "field '" + plan.labelKey() + "' (label_key) is " + label
              + ", outside [0, 1]; labels must be 0/1 or a probability");
      return;
    }
    double prediction = number(example, predictionSlot, "prediction_key", file, recordIndex);
    if (Double.isNaN(prediction)) {
      return;
    }
    double weight = 1.0;
    if (weightSlot >= 0) {
      weight = number(example, weightSlot, "example_weight_key", file, recordIndex);
      if (Double.isNaN(weight)) {
        return;
      }
    }
    counts.exampleEvaluated();
    prepared.prepare(label, prediction, weight);
    IntList slices = slicer.slicesOf(example);
    for (int i = 0; i < slices.size(); i++) {
      int ordinal = slices.get(i);
      while (accumulators.size() <= ordinal) {
        accumulators.add(null);
      }
      SliceAccumulator accumulator = accumulators.get(ordinal);
      if (accumulator == null) {
        accumulator = new SliceAccumulator(plan.accumulatorSpec());
        accumulators.set(ordinal, accumulator);
      }
      accumulator.add(prepared);
    }
  }

  /**
   * The single numeric value in {@code slot}, or NaN after reporting the record as bad (missing,
   * several values, bytes, or NaN).
   */
  private double number(
      ExampleFeatures example, int slot, String role, String file, long recordIndex) {
    FeatureValues values = example.slot(slot);
    if (values.present() && values.count() == 1 && values.kind() != FeatureKind.BYTES) {
      double value = values.numberAt(0);
      if (!Double.isNaN(value)) {
        return value;
      }
    }
    // The slow path: say what is wrong.
    String name = example.featureSet().name(slot);
    String field = "field '" + name + "' (" + role + ")";
    String problem;
    String detail;
    if (!values.present() || values.count() == 0) {
      problem = "missing";
      detail = field + " is missing";
    } else if (values.kind() == FeatureKind.BYTES) {
      problem = "not numeric";
      detail = field + " is not numeric: \"" + values.textAt(0) + "\"";
    } else if (values.count() != 1) {
      problem = "has " + values.count() + " values";
      detail = field + " has " + values.count() + " values, expected 1";
    } else {
      problem = "NaN";
      detail = field + " is NaN";
    }
    bad(role.replace("_key", "") + " '" + name + "' " + problem, file, recordIndex, detail);
    return Double.NaN;
  }

  /** Reports a record that cannot be used: fails, or counts it under {@code reason}. */
  private void bad(String reason, String file, long recordIndex, String detail) {
    if (plan.badRecordPolicy() == BadRecordPolicy.FAIL) {
      throw new BadRecordException(reason, file + ": record " + recordIndex + ": " + detail
          + " (use --bad-records=skip to count and skip such records)");
    }
    counts.skipped(reason);
  }

  /** Reports a record that could not be decoded at all. */
  public void undecodable(String file, long recordIndex, String detail) {
    counts.recordRead();
    bad("undecodable record", file, recordIndex, detail);
  }

  /** Returns the accumulators and counts gathered since the last call, and starts afresh. */
  public Drained drain() {
    Map<SliceKey, SliceAccumulator> result = new LinkedHashMap<>();
    for (int ordinal = 0; ordinal < accumulators.size(); ordinal++) {
      SliceAccumulator accumulator = accumulators.get(ordinal);
      if (accumulator != null) {
        result.put(slicer.key(ordinal), accumulator);
      }
    }
    accumulators.clear();
    RunCounts drainedCounts = counts;
    counts = new RunCounts();
    return new Drained(result, drainedCounts);
  }

  /** What {@link #drain()} returns. */
  public record Drained(Map<SliceKey, SliceAccumulator> slices, RunCounts counts) {}
}
