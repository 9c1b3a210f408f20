package io.fairbeam.eval;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureKind;
import io.fairbeam.extract.FeatureValues;
import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.Binarization;
import java.util.List;

/**
 * Checks that an example can be evaluated for every model: for a multi-class model, per-class
 * scores and a class id (or one label per class); otherwise a single numeric label (in [0, 1]
 * unless every metric takes any label, {@link EvalPlan#binaryLabels()}; finite in any case), a
 * score (a single numeric feature, or the model's prediction) that is not NaN, and a finite,
 * non-negative weight when metrics are weighted. A usable example's values are then read with
 * {@link #label}, {@link #score} and {@link #weight}; an unusable one gets a {@link Rejection}
 * saying which field and why.
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

  /** Per multi-class model, its per-class scores of the last usable example (null for binary). */
  private final double[][] classScores;

  /** Per multi-class model, how many of {@link #classScores} the example has. */
  private final int[] classCounts;

  /**
   * Per multi-class model, the example's class id (−1: no class, TFMA's out-of-vocabulary), or
   * {@link #DENSE} when the label holds one value per class ({@link #denseLabels}).
   */
  private final int[] classLabels;

  private final double[][] denseLabels;

  private static final int DENSE = Integer.MIN_VALUE;

  /** Per feature mean of the plan (TFMA's Mean): its feature's slot, its weight's (−1: 1). */
  private final int[] meanSlots;

  private final int[] meanWeightSlots;
  private final double[] meanValues;
  private final double[] meanWeights;

  public ExampleValidator(EvalPlan plan) {
    this.binaryLabels = plan.binaryLabels();
    AccumulatorSpec spec = plan.accumulatorSpec();
    int means = spec.featureMeanCount();
    this.meanSlots = new int[means];
    this.meanWeightSlots = new int[means];
    this.meanValues = new double[means];
    this.meanWeights = new double[means];
    for (int i = 0; i < means; i++) {
      meanSlots[i] = plan.features().slotOf(spec.meanFeature(i));
      meanWeightSlots[i] =
          spec.meanWeight(i).isEmpty() ? -1 : plan.features().slotOf(spec.meanWeight(i));
    }
    this.models = plan.models();
    int n = models.size();
    this.labelSlots = new int[n];
    this.predictionSlots = new int[n];
    this.weightSlots = new int[n];
    this.labels = new double[n];
    this.scores = new double[n];
    this.weights = new double[n];
    this.classScores = new double[n][];
    this.classCounts = new int[n];
    this.classLabels = new int[n];
    this.denseLabels = new double[n][];
    for (ModelPlan model : models) {
      if (model.multiClass()) {
        classScores[model.index()] = new double[Math.max(8, model.classScores())];
        denseLabels[model.index()] = new double[classScores[model.index()].length];
      }
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
    for (int i = 0; i < meanSlots.length; i++) {
      meanValues[i] = number(example, meanSlots[i]);
      if (Double.isNaN(meanValues[i])) {
        return numberProblem(example, meanSlots[i], "Mean's feature_key_path");
      }
      meanWeights[i] = 1.0;
      if (meanWeightSlots[i] >= 0) {
        meanWeights[i] = number(example, meanWeightSlots[i]);
        if (Double.isNaN(meanWeights[i])) {
          return numberProblem(example, meanWeightSlots[i], "Mean's example_weights_key_path");
        }
      }
    }
    for (ModelPlan model : models) {
      int m = model.index();
      if (model.multiClass()) {
        Rejection rejection =
            predictionSlots[m] >= 0
                ? checkClassScores(example, model)
                : checkPredictedClassScores(model, predictions[m], row);
        if (rejection == null) {
          rejection = checkClassLabel(example, model);
        }
        if (rejection != null) {
          return rejection;
        }
        Rejection weight = checkWeight(example, model);
        if (weight != null) {
          return weight;
        }
        continue;
      }
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
      Rejection weight = checkWeight(example, model);
      if (weight != null) {
        return weight;
      }
    }
    return null;
  }

  /** Reads model {@code model}'s example weight (1 when unweighted), or says why it cannot. */
  private Rejection checkWeight(ExampleFeatures example, ModelPlan model) {
    int m = model.index();
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
    return null;
  }

  /** Makes room for {@code count} class scores and labels of model {@code m}. */
  private void reserveClasses(int m, int count) {
    if (classScores[m].length < count) {
      classScores[m] = new double[Math.max(count, 2 * classScores[m].length)];
      denseLabels[m] = new double[classScores[m].length];
    }
  }

  /**
   * Reads the per-class scores a multi-class model's SavedModel predicted, row {@code row} of
   * {@code predictions} ({@link io.fairbeam.predict.BatchScorer#scores}): none may be NaN.
   */
  private Rejection checkPredictedClassScores(ModelPlan model, double[] predictions, int row) {
    int m = model.index();
    int count = model.inference().scoresPerExample();
    reserveClasses(m, count);
    for (int c = 0; c < count; c++) {
      double score = predictions[row * count + c];
      if (Double.isNaN(score)) {
        return new Rejection(
            model.describe() + " predicted NaN",
            model.describe()
                + " predicted NaN for class "
                + c
                + " (output '"
                + model.inference().output().key()
                + "')");
      }
      classScores[m][c] = score;
    }
    classCounts[m] = count;
    return null;
  }

  /**
   * Reads a multi-class model's per-class scores from its prediction feature: at least {@link
   * ModelPlan#classScores}, none NaN.
   */
  private Rejection checkClassScores(ExampleFeatures example, ModelPlan model) {
    int m = model.index();
    FeatureValues scores = example.slot(predictionSlots[m]);
    String scoreName = model.predictionFeature();
    String scoreField = "field '" + scoreName + "' (prediction_key)";
    if (!scores.present() || scores.count() == 0) {
      return new Rejection("prediction '" + scoreName + "' missing", scoreField + " is missing");
    }
    if (scores.kind() == FeatureKind.BYTES) {
      return new Rejection(
          "prediction '" + scoreName + "' not numeric",
          scoreField + " is not numeric: \"" + scores.textAt(0) + "\"");
    }
    int count = scores.count();
    if (count < model.classScores()) {
      return new Rejection(
          "prediction '" + scoreName + "' has too few class scores",
          scoreField
              + " has "
              + count
              + (count == 1 ? " value" : " values")
              + "; binarize needs a score for each of at least "
              + model.classScores()
              + " classes");
    }
    reserveClasses(m, count);
    for (int c = 0; c < count; c++) {
      double score = scores.numberAt(c);
      if (Double.isNaN(score)) {
        return new Rejection(
            "prediction '" + scoreName + "' NaN",
            scoreField + " is NaN for class " + c + " (value " + (c + 1) + " of " + count + ")");
      }
      classScores[m][c] = score;
    }
    classCounts[m] = count;
    return null;
  }

  /**
   * Reads a multi-class model's label, once its scores are read: one class id (a whole number below
   * the number of scores, or −1 for none), or one value per class (each in [0, 1] when metrics need
   * binary labels), or class names.
   */
  private Rejection checkClassLabel(ExampleFeatures example, ModelPlan model) {
    int m = model.index();
    int count = classCounts[m];
    String scoreName = scoreSource(model);
    FeatureValues label = example.slot(labelSlots[m]);
    String labelName = model.labelKey();
    String labelField = "field '" + labelName + "' (label_key)";
    if (!label.present() || label.count() == 0) {
      return new Rejection("label '" + labelName + "' missing", labelField + " is missing");
    }
    if (label.kind() == FeatureKind.BYTES) {
      return classNamesLabel(model, label, labelName, labelField, count);
    }
    if (label.count() == count) {
      for (int c = 0; c < count; c++) {
        double value = label.numberAt(c);
        boolean usable = binaryLabels ? value >= 0.0 && value <= 1.0 : Double.isFinite(value);
        if (!usable) {
          return new Rejection(
              "label '" + labelName + "' " + (binaryLabels ? "outside [0, 1]" : "not finite"),
              labelField
                  + " is "
                  + value
                  + " for class "
                  + c
                  + (binaryLabels
                      ? "; a label with one value per class holds 0/1 or a probability"
                      : "; labels must be finite"));
        }
        denseLabels[m][c] = value;
      }
      classLabels[m] = DENSE;
      return null;
    }
    if (label.count() != 1) {
      return new Rejection(
          "label '" + labelName + "' has " + label.count() + " values",
          labelField
              + " has "
              + label.count()
              + " values; expected one class id, or one value for each of the "
              + count
              + " classes "
              + scoreName
              + " scores");
    }
    double id = label.numberAt(0);
    if (!(id == Math.rint(id) && id >= -1 && id < count)) {
      return new Rejection(
          "label '" + labelName + "' not a class id",
          labelField
              + " is "
              + id
              + "; a class id is a whole number from 0 to "
              + (count - 1)
              + " ("
              + scoreName
              + " scores "
              + count
              + " classes), or -1 for none");
    }
    classLabels[m] = (int) id;
    java.util.Arrays.fill(denseLabels[m], 0, count, 0.0);
    if (id >= 0) {
      denseLabels[m][(int) id] = 1.0;
    }
    return null;
  }

  /**
   * Reads a label given by class name ({@code class_names}): one name is the class id, several (a
   * multi-label example) one value per class, 1 for each class named.
   */
  private Rejection classNamesLabel(
      ModelPlan model, FeatureValues label, String labelName, String labelField, int count) {
    int m = model.index();
    List<String> names = model.classNames();
    if (names.isEmpty()) {
      return new Rejection(
          "label '" + labelName + "' not numeric",
          labelField
              + " is not numeric: \""
              + label.textAt(0)
              + "\"; to give classes by name, list them in class_names of model_specs");
    }
    java.util.Arrays.fill(denseLabels[m], 0, count, 0.0);
    int id = -1;
    for (int i = 0; i < label.count(); i++) {
      String name = label.textAt(i);
      id = names.indexOf(name);
      if (id < 0) {
        return new Rejection(
            "label '" + labelName + "' not a class name",
            labelField
                + " is \""
                + name
                + "\", which class_names does not list; classes: "
                + names);
      }
      if (id >= count) {
        return new Rejection(
            "label '" + labelName + "' class not scored",
            labelField
                + " is \""
                + name
                + "\", class "
                + id
                + ", but "
                + scoreSource(model)
                + " scores "
                + count
                + " classes");
      }
      denseLabels[m][id] = 1.0;
    }
    classLabels[m] = label.count() == 1 ? id : DENSE;
    return null;
  }

  /**
   * Where a multi-class model's scores come from, for messages: {@code 'f'} or {@code output 'o'}.
   */
  private static String scoreSource(ModelPlan model) {
    return model.predictionFeature() != null
        ? "'" + model.predictionFeature() + "'"
        : "output '" + model.inference().output().key() + "'";
  }

  /** The number of feature means (TFMA's Mean) the plan keeps. */
  public int featureMeanCount() {
    return meanValues.length;
  }

  /** Feature mean {@code i}'s value for the example last found usable. */
  public double featureMeanValue(int i) {
    return meanValues[i];
  }

  /** Feature mean {@code i}'s weight for the example last found usable (1 without a path). */
  public double featureMeanWeight(int i) {
    return meanWeights[i];
  }

  /** The per-class scores of multi-class model {@code m} for the example last found usable. */
  public double[] classScores(int m) {
    return classScores[m];
  }

  /** How many of {@link #classScores} the example has. */
  public int classCount(int m) {
    return classCounts[m];
  }

  /**
   * Multi-class model {@code m}'s actual class: its class id (−1 for none), or, for a label with
   * one value per class, the first class of the highest value (numpy's {@code argmax}, as TFMA's
   * multi-class confusion matrix takes it).
   */
  public int actualClass(int m) {
    int id = classLabels[m];
    return id != DENSE ? id : Binarization.argmax(denseLabels[m], classCounts[m]);
  }

  /**
   * Multi-class model {@code m}'s label for class {@code c}: 1/0 for a class id, else its value.
   */
  public double classLabel(int m, int c) {
    return denseLabels[m][c];
  }

  /**
   * Multi-class model {@code m}'s label for each class ({@link #classCount} of them): its values,
   * or its class id one-hot (all 0 for −1).
   */
  public double[] classLabels(int m) {
    return denseLabels[m];
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
