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
            "withModel(\""
                + paths.get("")
                + "\") names no model_specs, and the config has several; give"
                + " withModel(NAME, PATH) for each of "
                + names);
      }
      paths.put(config.getModelSpecs(0).getName(), paths.remove(""));
    }
    for (String name : paths.keySet()) {
      if (!names.contains(name)) {
        throw new ConfigException(
            "withModel(\""
                + name
                + "\", \""
                + paths.get(name)
                + "\"): no model_specs is named \""
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
   * shared), as TFMA 0.52 reads them. Run as the SavedModel at {@code path}, each output is the
   * signature's output its {@code prediction_keys} entry names, else the one named as the output;
   * the outputs are read from one run of the model.
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
    Set<String> outputs = new TreeSet<>(model.getLabelKeysMap().keySet());
    if (path == null || model.getPredictionKeysCount() > 0) {
      checkPredictionKeys(model, outputs, path, where);
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
    List<String> predictionKeys = new ArrayList<>();
    List<String> wheres = new ArrayList<>();
    for (String output : outputs) {
      predictionKeys.add(model.getPredictionKeysOrDefault(output, output));
      wheres.add(describe(where, model, path) + ", output '" + output + "'");
    }
    // The signature is loaded once for all the outputs.
    List<Inference> inferences =
        path == null
            ? null
            : SavedModelResolver.resolveOutputs(
                path,
                model.getSignatureName(),
                predictionKeys,
                model.getInferenceBatchSize(),
                wheres);
    List<ModelPlan> plans = new ArrayList<>();
    for (String output : outputs) {
      String weightKey =
          model.getExampleWeightKeysOrDefault(
              output, model.getExampleWeightKey().isEmpty() ? null : model.getExampleWeightKey());
      String predictionKey = predictionKeys.get(plans.size());
      Inference inference = inferences == null ? null : inferences.get(plans.size());
      plans.add(
          new ModelPlan(
              firstIndex + plans.size(),
              specIndex,
              model.getName(),
              count > 1 ? model.getName() : "",
              output,
              model.getLabelKeysOrThrow(output),
              path == null ? predictionKey : null,
              weightKey,
              model.getIsBaseline(),
              inference,
              model.getClassNamesList(),
              0));
    }
    return plans;
  }

  /**
   * Checks that {@code prediction_keys} gives each output of {@code label_keys} its score (a
   * feature, or with {@code path} an output of the SavedModel's signature).
   */
  private static void checkPredictionKeys(
      ModelSpec model, Set<String> outputs, String path, String where) {
    Set<String> predicted = new TreeSet<>(model.getPredictionKeysMap().keySet());
    if (!outputs.equals(predicted)) {
      throw new ConfigException(
          where
              + ": label_keys names the outputs "
              + outputs
              + " and prediction_keys "
              + predicted
              + "; a multi-output model needs a label and a prediction for each output"
              + (path == null
                  ? ""
                  : " (run as a SavedModel, leave prediction_keys out to read each output by its"
                      + " name)"));
    }
  }

  /** {@code where} with the model's name and path, for messages about its SavedModel. */
  private static String describe(String where, ModelSpec model, String path) {
    return where
        + " ("
        + (model.getName().isEmpty() ? "" : "model '" + model.getName() + "', ")
        + "SavedModel "
        + path
        + ")";
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
                + " that holds the model's score; or score it with a SavedModel: withModel("
                + (count > 1 ? "\"" + model.getName() + "\", PATH" : "PATH")
                + ")");
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
    Inference inference =
        SavedModelResolver.resolve(
            path,
            model.getSignatureName(),
            model.getPredictionKey(),
            model.getInferenceBatchSize(),
            describe(where, model, path));
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
