package io.fairbeam.eval;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureKind;
import io.fairbeam.extract.FeatureValues;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.PreparedExample;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceKeyExtractor;
import io.fairbeam.util.IntList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates decoded examples into per-slice accumulators: it checks each model's label, score and
 * weight for the example, finds its slices, and adds it to each slice's accumulators (one per
 * model, {@link ModelAccumulators}).
 * A record that cannot be evaluated goes to a {@link BadRecordHandler}.
 *
 * <p>Plain Java: the Beam layer keeps one per worker thread and drains it at the end of each
 * bundle, so only accumulators, never examples, travel through the shuffle.
 */
public final class ExampleAggregator {
  private final EvalPlan plan;
  private final SliceKeyExtractor slicer;
  private final List<ModelPlan> models;
  private final int[] labelSlots;
  private final int[] predictionSlots;
  private final int[] weightSlots;
  private final double[] labels;
  private final double[] scores;
  private final double[] weights;
  private final PreparedExample[] prepared;
  /** Slots of the features slicing specs name, and how many evaluated examples had each. */
  private final int[] slicingSlots;
  private final long[] slicingPresent;
  private final List<ModelAccumulators> accumulators = new ArrayList<>();
  private final BadRecordHandler badRecords;
  private RunCounts counts = new RunCounts();

  /** Aggregates under {@code plan}; unusable records go to {@code badRecords}. */
  public ExampleAggregator(EvalPlan plan, BadRecordHandler badRecords) {
    this.plan = plan;
    this.badRecords = badRecords;
    this.slicer = new SliceKeyExtractor(plan.slicingSpecs(), plan.features());
    this.models = plan.models();
    int n = models.size();
    this.labelSlots = new int[n];
    this.predictionSlots = new int[n];
    this.weightSlots = new int[n];
    this.labels = new double[n];
    this.scores = new double[n];
    this.weights = new double[n];
    this.prepared = new PreparedExample[n];
    List<String> slicingFeatures = SliceKeyExtractor.featuresOf(plan.slicingSpecs());
    this.slicingSlots = new int[slicingFeatures.size()];
    this.slicingPresent = new long[slicingFeatures.size()];
    for (int f = 0; f < slicingSlots.length; f++) {
      slicingSlots[f] = plan.features().slotOf(slicingFeatures.get(f));
    }
    for (ModelPlan model : models) {
      int i = model.index();
      labelSlots[i] = plan.features().slotOf(model.labelKey());
      predictionSlots[i] = model.predictionFeature() == null
          ? -1 : plan.features().slotOf(model.predictionFeature());
      weightSlots[i] = model.weightKey() == null ? -1 : plan.features().slotOf(model.weightKey());
      prepared[i] = new PreparedExample(plan.accumulatorSpec());
    }
  }

  /**
   * Evaluates one example read from record {@code recordIndex} of {@code file}, when every
   * model's score is a feature.
   *
   * @throws BadRecordException under {@link BadRecordPolicy#FAIL} when the example is unusable
   */
  public void add(ExampleFeatures example, String file, long recordIndex) {
    add(example, null, 0, file, recordIndex);
  }

  /**
   * Evaluates one example; {@code predictions[m][row]} is the score model {@code m} predicted
   * for it (models whose score is a feature have a null row). A record is evaluated for all
   * models or, if any model cannot use it, for none.
   *
   * @throws BadRecordException under {@link BadRecordPolicy#FAIL} when the example is unusable
   */
  public void add(ExampleFeatures example, double[][] predictions, int row, String file,
      long recordIndex) {
    counts.recordRead();
    for (ModelPlan model : models) {
      int m = model.index();
      double label = number(example, labelSlots[m], "label_key", file, recordIndex);
      if (Double.isNaN(label)) {
        return;
      }
      if (label < 0.0 || label > 1.0) {
        bad("label '" + model.labelKey() + "' outside [0, 1]", file, recordIndex,
            "field '" + model.labelKey() + "' (label_key) is " + label
                + ", outside [0, 1]; labels must be 0/1 or a probability");
        return;
      }
      labels[m] = label;
      if (predictionSlots[m] >= 0) {
        scores[m] = number(example, predictionSlots[m], "prediction_key", file, recordIndex);
        if (Double.isNaN(scores[m])) {
          return;
        }
      } else {
        scores[m] = predictions[m][row];
        if (Double.isNaN(scores[m])) {
          bad(model.describe() + " predicted NaN", file, recordIndex,
              model.describe() + " predicted NaN");
          return;
        }
      }
      weights[m] = 1.0;
      if (weightSlots[m] >= 0) {
        double weight = number(example, weightSlots[m], "example_weight_key", file, recordIndex);
        if (Double.isNaN(weight)) {
          return;
        }
        if (!(weight >= 0.0 && weight < Double.POSITIVE_INFINITY)) {
          bad("weight '" + model.weightKey() + "' " + (weight < 0.0 ? "negative" : "infinite"),
              file, recordIndex, "field '" + model.weightKey() + "' (example_weight_key) is "
                  + weight + "; weights must be finite and not negative");
          return;
        }
        weights[m] = weight;
      }
    }
    counts.exampleEvaluated();
    for (int f = 0; f < slicingSlots.length; f++) {
      if (example.slot(slicingSlots[f]).present()) {
        slicingPresent[f]++;
      }
    }
    for (int m = 0; m < prepared.length; m++) {
      prepared[m].prepare(labels[m], scores[m], weights[m]);
    }
    IntList slices = slicer.slicesOf(example);
    for (int i = 0; i < slices.size(); i++) {
      int ordinal = slices.get(i);
      while (accumulators.size() <= ordinal) {
        accumulators.add(null);
      }
      ModelAccumulators accumulator = accumulators.get(ordinal);
      if (accumulator == null) {
        accumulator = new ModelAccumulators(plan.accumulatorSpec(), prepared.length);
        accumulators.set(ordinal, accumulator);
      }
      for (int m = 0; m < prepared.length; m++) {
        accumulator.model(m).add(prepared[m]);
      }
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
    badRecords.reject(reason, file, recordIndex, detail);
    counts.skipped(reason);
  }

  /** Reports a record that could not be decoded at all. */
  public void undecodable(String file, long recordIndex, String detail) {
    unusable("undecodable record", file, recordIndex, detail);
  }

  /**
   * Reports a record that was read but cannot be evaluated, counted under {@code reason} (e.g. a
   * model input of the wrong shape).
   */
  public void unusable(String reason, String file, long recordIndex, String detail) {
    counts.recordRead();
    bad(reason, file, recordIndex, detail);
  }

  /** Returns the accumulators and counts gathered since the last call, and starts afresh. */
  public Drained drain() {
    Map<SliceKey, ModelAccumulators> result = new LinkedHashMap<>();
    for (int ordinal = 0; ordinal < accumulators.size(); ordinal++) {
      ModelAccumulators accumulator = accumulators.get(ordinal);
      if (accumulator != null) {
        result.put(slicer.key(ordinal), accumulator);
      }
    }
    accumulators.clear();
    RunCounts drainedCounts = counts;
    for (int f = 0; f < slicingSlots.length; f++) {
      drainedCounts.slicingFeaturePresent(plan.features().name(slicingSlots[f]), slicingPresent[f]);
      slicingPresent[f] = 0;
    }
    counts = new RunCounts();
    return new Drained(result, drainedCounts);
  }

  /** What {@link #drain()} returns. */
  public record Drained(Map<SliceKey, ModelAccumulators> slices, RunCounts counts) {}
}
