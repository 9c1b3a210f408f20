package io.fairbeam.eval;

import io.fairbeam.predict.Inference;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * One {@code ModelSpec} resolved (for a multi-output model, one of its outputs): where its label,
 * weight and score come from, and, when the score comes from running a SavedModel, which model,
 * signature, output and batch size.
 *
 * @param index position among the plan's models (a multi-output model's outputs are one each)
 * @param specIndex position of its {@code model_specs}
 * @param metricModelName the {@code model_name} its metric keys carry: the spec's name, or empty
 *     when the config has a single model (as TFMA writes it)
 * @param outputName the output of a multi-output model ({@code label_keys}), written as {@code
 *     output_name} in its keys; empty for a single-output model
 * @param labelKey feature holding the label
 * @param predictionFeature feature holding the score (model-agnostic), or null when predicted
 * @param weightKey feature holding the example weight, or null when metrics are unweighted
 * @param baseline whether this is the baseline the other models are compared with
 * @param inference how the score is predicted, or null when it is read from a feature
 * @param classNames the names of its classes in class id order ({@code class_names}), by which
 *     labels may name them; empty when the config gives none
 * @param classScores 0 for a binary model (one score per example); for a multi-class model, the
 *     fewest per-class scores an example must have for its {@code binarize} sub-keys
 */
@Internal
public record ModelPlan(
    int index,
    int specIndex,
    String specName,
    String metricModelName,
    String outputName,
    String labelKey,
    String predictionFeature,
    String weightKey,
    boolean baseline,
    Inference inference,
    List<String> classNames,
    int classScores)
    implements Serializable {
  public ModelPlan {
    classNames = List.copyOf(classNames);
  }

  /** This model with weight key {@code key} (null: unweighted). */
  ModelPlan withWeightKey(String key) {
    return new ModelPlan(
        index,
        specIndex,
        specName,
        metricModelName,
        outputName,
        labelKey,
        predictionFeature,
        key,
        baseline,
        inference,
        classNames,
        classScores);
  }

  /** This model scoring {@code count} classes at least ({@link #classScores}). */
  ModelPlan withClassScores(int count) {
    return new ModelPlan(
        index,
        specIndex,
        specName,
        metricModelName,
        outputName,
        labelKey,
        predictionFeature,
        weightKey,
        baseline,
        inference,
        classNames,
        count);
  }

  /** Whether the model scores each class ({@link #classScores} &gt; 0). */
  public boolean multiClass() {
    return classScores > 0;
  }

  /**
   * How the model is named in messages: {@code model 'candidate'} or {@code the model}, with its
   * output ({@code output 'income' of the model}).
   */
  public String describe() {
    return outputName.isEmpty()
        ? describeSpec()
        : "output '" + outputName + "' of " + describeSpec();
  }

  /** How its {@code model_specs} is named, whatever the output: {@code model 'candidate'}. */
  public String describeSpec() {
    return specName.isEmpty() ? "the model" : "model '" + specName + "'";
  }
}
