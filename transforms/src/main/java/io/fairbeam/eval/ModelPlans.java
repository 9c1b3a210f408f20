package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.predict.Inference;
import io.fairbeam.predict.SavedModelResolver;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.ModelSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves the {@code model_specs} of an EvalConfig into {@link ModelPlan}s: names, the baseline,
 * where each label, weight and score comes from, and, for a model scored by a SavedModel, its
 * checked signature ({@link SavedModelResolver}), so a wrong model fails before any data is read.
 */
final class ModelPlans {
  private ModelPlans() {}

  /**
   * Resolves every {@code model_specs} of {@code config}; {@code modelPaths} maps a spec's name to
   * the SavedModel that scores it (the empty name: the only spec).
   *
   * @throws ConfigException if the specs or paths do not fit together, or a model does not fit
   */
  static List<ModelPlan> resolve(
      EvalConfig config, ConfigLocations locations, Map<String, String> modelPaths) {
    int count = config.getModelSpecsCount();
    if (count == 0) {
      throw new ConfigException(
          locations.describe("model_specs")
              + ": no model_specs; add model_specs { label_key: \"...\" prediction_key: \"...\" }");
    }
    Map<String, String> paths = new HashMap<>(modelPaths);
    Set<String> names = new LinkedHashSet<>();
    int baselines = 0;
    for (int i = 0; i < count; i++) {
      ModelSpec model = config.getModelSpecs(i);
      String where = locations.describe("model_specs[" + i + "]");
      if (count > 1 && model.getName().isEmpty()) {
        throw new ConfigException(where + ": with several model_specs each needs a name");
      }
      if (!names.add(model.getName())) {
        throw new ConfigException(
            where + ": two model_specs are named \"" + model.getName() + "\"");
      }
      if (model.getIsBaseline()) {
        baselines++;
      }
    }
    if (baselines > 1) {
      throw new ConfigException(
          locations.describe("model_specs") + ": more than one model_specs has is_baseline: true");
    }
    if (paths.containsKey("")) {
      if (count > 1) {
        throw new ConfigException(
            "--model "
                + paths.get("")
                + ": the config has several"
                + " model_specs; give --model NAME=PATH for each of "
                + names);
      }
      paths.put(config.getModelSpecs(0).getName(), paths.remove(""));
    }
    for (String name : paths.keySet()) {
      if (!names.contains(name)) {
        throw new ConfigException(
            "--model "
                + name
                + "="
                + paths.get(name)
                + ": no model_specs is named \""
                + name
                + "\"; names: "
                + names);
      }
    }
    List<ModelPlan> models = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ModelSpec model = config.getModelSpecs(i);
      String path = paths.get(model.getName());
      if (model.getLabelKeysCount() > 0 || model.getPredictionKeysCount() > 0) {
        models.addAll(resolveOutputs(models.size(), i, model, count, path, locations));
      } else {
        models.add(resolveModel(models.size(), i, model, count, path, locations));
      }
    }
    return models;
  }

  /**
   * A multi-output model's outputs, in the order of their names, each a model of its own keyed with
   * its {@code output_name}: its label from {@code label_keys}, its score from {@code
   * prediction_keys}, its weight from {@code example_weight_keys} (else {@code example_weight_key},
   * shared), as TFMA 0.52 reads them.
   */
  private static List<ModelPlan> resolveOutputs(
      int firstIndex,
      int specIndex,
      ModelSpec model,
      int count,
      String path,
      ConfigLocations locations) {
    String where = locations.describe("model_specs[" + specIndex + "]");
    ConfigChecks.checkModelSpec(model, where);
    if (path != null) {
      throw new ConfigException(
          where
              + ": prediction_keys (a multi-output model) are read from features; a SavedModel's"
              + " several outputs (--model) are not supported yet");
    }
    if (model.getIsBaseline()) {
      throw new ConfigException(
          where + ": a multi-output model as the baseline (is_baseline) is not supported yet");
    }
    Set<String> outputs = new TreeSet<>(model.getLabelKeysMap().keySet());
    if (!outputs.equals(new TreeSet<>(model.getPredictionKeysMap().keySet()))) {
      throw new ConfigException(
          where
              + ": label_keys names the outputs "
              + outputs
              + " and prediction_keys "
              + new TreeSet<>(model.getPredictionKeysMap().keySet())
              + "; a multi-output model needs a label and a prediction for each output");
    }
    for (String output : model.getExampleWeightKeysMap().keySet()) {
      if (!outputs.contains(output)) {
        throw new ConfigException(
            where
                + ": example_weight_keys names the output \""
                + output
                + "\", which label_keys does not have; outputs: "
                + outputs);
      }
    }
    if (model.getExampleWeightKeysCount() > 0
        && model.getExampleWeightKeysCount() < outputs.size()) {
      throw new ConfigException(
          where
              + ": example_weight_keys gives a weight to some outputs only; give every output of "
              + outputs
              + " one (TFMA cannot weigh the others either)");
    }
    List<ModelPlan> plans = new ArrayList<>();
    for (String output : outputs) {
      String weightKey =
          model.getExampleWeightKeysOrDefault(
              output, model.getExampleWeightKey().isEmpty() ? null : model.getExampleWeightKey());
      plans.add(
          new ModelPlan(
              firstIndex + plans.size(),
              specIndex,
              model.getName(),
              count > 1 ? model.getName() : "",
              output,
              model.getLabelKeysOrThrow(output),
              model.getPredictionKeysOrThrow(output),
              weightKey,
              false,
              null,
              model.getClassNamesList(),
              0));
    }
    return plans;
  }

  private static ModelPlan resolveModel(
      int index,
      int specIndex,
      ModelSpec model,
      int count,
      String path,
      ConfigLocations locations) {
    String where = locations.describe("model_specs[" + specIndex + "]");
    ConfigChecks.checkModelSpec(model, where);
    if (model.getLabelKey().isEmpty()) {
      throw new ConfigException(where + ": label_key is required (the feature holding the label)");
    }
    String weightKey = model.getExampleWeightKey().isEmpty() ? null : model.getExampleWeightKey();
    String metricModelName = count > 1 ? model.getName() : "";
    if (path == null) {
      if (model.getPredictionKey().isEmpty()) {
        throw new ConfigException(
            where
                + ": prediction_key is required: it names the feature"
                + " that holds the model's score; or run a SavedModel with --model "
                + (count > 1 ? model.getName() + "=PATH" : "PATH"));
      }
      return new ModelPlan(
          index,
          specIndex,
          model.getName(),
          metricModelName,
          "",
          model.getLabelKey(),
          model.getPredictionKey(),
          weightKey,
          model.getIsBaseline(),
          null,
          model.getClassNamesList(),
          0);
    }
    String what =
        where
            + " ("
            + (model.getName().isEmpty() ? "" : "model '" + model.getName() + "', ")
            + "--model "
            + path
            + ")";
    Inference inference =
        SavedModelResolver.resolve(
            path,
            model.getSignatureName(),
            model.getPredictionKey(),
            model.getInferenceBatchSize(),
            what);
    return new ModelPlan(
        index,
        specIndex,
        model.getName(),
        metricModelName,
        "",
        model.getLabelKey(),
        null,
        weightKey,
        model.getIsBaseline(),
        inference,
        model.getClassNamesList(),
        0);
  }
}
