package io.fairbeam.eval;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureKind;
import io.fairbeam.extract.FeatureValues;
import java.util.List;

/**
 * Checks that an example can be evaluated for every model: a single numeric label (in [0, 1] unless
 * every metric takes any label, {@link EvalPlan#binaryLabels()}; finite in any case), a score (a
 * single numeric feature, or the model's prediction) that is not NaN, and a finite, non-negative
 * weight when metrics are weighted. A usable example's values are then read with {@link #label},
 * {@link #score} and {@link #weight}; an unusable one gets a {@link Rejection} saying which field
 * and why.
 */
final class ExampleValidator {
  /**
   * Why an example cannot be evaluated: {@code reason} is the short category skipped records are
   * counted under, {@code detail} names the field and its value.
   */
  public record Rejection(String reason, String detail) {}

  private final List<ModelPlan> models;
  private final int[] labelSlots;
  private final int[] predictionSlots;
  private final int[] weightSlots;
  private final double[] labels;
  private final double[] scores;
  private final double[] weights;
  private final boolean binaryLabels;

  public ExampleValidator(EvalPlan plan) {
    this.binaryLabels = plan.binaryLabels();
    this.models = plan.models();
    int n = models.size();
    this.labelSlots = new int[n];
    this.predictionSlots = new int[n];
    this.weightSlots = new int[n];
    this.labels = new double[n];
    this.scores = new double[n];
    this.weights = new double[n];
    for (ModelPlan model : models) {
      int i = model.index();
      labelSlots[i] = plan.features().slotOf(model.labelKey());
      predictionSlots[i] =
          model.predictionFeature() == null
              ? -1
              : plan.features().slotOf(model.predictionFeature());
      weightSlots[i] = model.weightKey() == null ? -1 : plan.features().slotOf(model.weightKey());
    }
  }

  /**
   * Checks {@code example}; {@code predictions[m][row]} is the score model {@code m} predicted for
   * it (a null row, or null {@code predictions}, for models whose score is a feature).
   *
   * @return null when every model can use it, else why not
   */
  public Rejection check(ExampleFeatures example, double[][] predictions, int row) {
    for (ModelPlan model : models) {
      int m = model.index();
      double label = number(example, labelSlots[m]);
      if (Double.isNaN(label)) {
        return numberProblem(example, labelSlots[m], "label_key");
      }
      if (!binaryLabels && Double.isInfinite(label)) {
        return new Rejection(
            "label '" + model.labelKey() + "' infinite",
            "field '" + model.labelKey() + "' (label_key) is " + label + "; labels must be finite");
      }
      if (binaryLabels && (label < 0.0 || label > 1.0)) {
        return new Rejection(
            "label '" + model.labelKey() + "' outside [0, 1]",
            "field '"
                + model.labelKey()
                + "' (label_key) is "
                + label
                + ", outside [0, 1]; labels must be 0/1 or a probability");
      }
      labels[m] = label;
      if (predictionSlots[m] >= 0) {
        scores[m] = number(example, predictionSlots[m]);
        if (Double.isNaN(scores[m])) {
          return numberProblem(example, predictionSlots[m], "prediction_key");
        }
      } else {
        scores[m] = predictions[m][row];
        if (Double.isNaN(scores[m])) {
          return new Rejection(
              model.describe() + " predicted NaN", model.describe() + " predicted NaN");
        }
      }
      weights[m] = 1.0;
      if (weightSlots[m] >= 0) {
        double weight = number(example, weightSlots[m]);
        if (Double.isNaN(weight)) {
          return numberProblem(example, weightSlots[m], "example_weight_key");
        }
        if (!(weight >= 0.0 && weight < Double.POSITIVE_INFINITY)) {
          return new Rejection(
              "weight '" + model.weightKey() + "' " + (weight < 0.0 ? "negative" : "infinite"),
              "field '"
                  + model.weightKey()
                  + "' (example_weight_key) is "
                  + weight
                  + "; weights must be finite and not negative");
        }
        weights[m] = weight;
      }
    }
    return null;
  }

  /** Model {@code m}'s label of the example last found usable. */
  public double label(int m) {
    return labels[m];
  }

  /** Model {@code m}'s score of the example last found usable. */
  public double score(int m) {
    return scores[m];
  }

  /** Model {@code m}'s weight of the example last found usable (1 when unweighted). */
  public double weight(int m) {
    return weights[m];
  }

  /** The single numeric value in {@code slot}, or NaN if there is none (or it is NaN). */
  private static double number(ExampleFeatures example, int slot) {
    FeatureValues values = example.slot(slot);
    if (values.present() && values.count() == 1 && values.kind() != FeatureKind.BYTES) {
      return values.numberAt(0);
    }
    return Double.NaN;
  }

  /** Why {@code slot} holds no usable number: missing, several values, bytes, or NaN. */
  private static Rejection numberProblem(ExampleFeatures example, int slot, String role) {
    FeatureValues values = example.slot(slot);
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
    return new Rejection(role.replace("_key", "") + " '" + name + "' " + problem, detail);
  }
}
