package io.fairbeam.beam;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricsSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * What {@link EvaluateRecords} and {@link ReadAndEvaluate} share: the EvalConfig, the SavedModels
 * that score each {@code model_specs}, the bad-record policy and whether skipped records go to a
 * dead-letter output. Immutable; each {@code with} returns a changed copy.
 */
final class EvaluationSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Only read while the pipeline is built; the workers get the resolved {@link EvalPlan}. */
  private final transient EvalConfigLoader.Loaded config;

  private final Map<String, String> modelPaths;
  private final BadRecordPolicy badRecordPolicy;
  private final boolean badRecordOutput;
  private final boolean withoutBaseline;

  private EvaluationSettings(
      EvalConfigLoader.Loaded config,
      Map<String, String> modelPaths,
      BadRecordPolicy badRecordPolicy,
      boolean badRecordOutput,
      boolean withoutBaseline) {
    this.config = config;
    this.modelPaths = Map.copyOf(modelPaths);
    this.badRecordPolicy = badRecordPolicy;
    this.badRecordOutput = badRecordOutput;
    this.withoutBaseline = withoutBaseline;
  }

  /** {@code config} with no models, failing on the first bad record, without dead letters. */
  static EvaluationSettings of(EvalConfigLoader.Loaded config) {
    Objects.requireNonNull(config, "config");
    return new EvaluationSettings(config, Map.of(), BadRecordPolicy.FAIL, false, false);
  }

  EvaluationSettings withModel(String name, String path) {
    Objects.requireNonNull(name, "name");
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException(
          "model "
              + (name.isEmpty() ? "" : "'" + name + "' ")
              + "needs a SavedModel directory, got "
              + (path == null ? "null" : "\"\""));
    }
    if (modelPaths.containsKey(name)) {
      throw new IllegalArgumentException(
          "model "
              + (name.isEmpty() ? "" : "'" + name + "' ")
              + "given twice: "
              + modelPaths.get(name)
              + " and "
              + path);
    }
    Map<String, String> paths = new LinkedHashMap<>(modelPaths);
    paths.put(name, path);
    return new EvaluationSettings(config, paths, badRecordPolicy, badRecordOutput, withoutBaseline);
  }

  EvaluationSettings withBadRecordPolicy(BadRecordPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return new EvaluationSettings(config, modelPaths, policy, badRecordOutput, withoutBaseline);
  }

  EvaluationSettings withBadRecordOutput() {
    return new EvaluationSettings(config, modelPaths, badRecordPolicy, true, withoutBaseline);
  }

  EvaluationSettings withoutBaseline() {
    return new EvaluationSettings(config, modelPaths, badRecordPolicy, badRecordOutput, true);
  }

  /**
   * Resolves the config and loads each model's signature to check it against the config.
   *
   * @throws ConfigException if the config is invalid or does not fit a model
   * @throws IllegalArgumentException if a bad-record output is asked for records that are never
   *     skipped
   */
  EvalPlan plan() {
    if (badRecordOutput && badRecordPolicy == BadRecordPolicy.FAIL) {
      throw new IllegalArgumentException(
          "withBadRecordOutput() emits the records the SKIP policy skips, but the policy is FAIL,"
              + " which skips none; add withBadRecordPolicy(BadRecordPolicy.SKIP)");
    }
    return EvalPlan.create(
        config.config(), config.locations(), badRecordPolicy, modelPaths, withoutBaseline);
  }

  /**
   * What a runner's UI shows of these settings: the config's file and shape, the SavedModels and
   * the bad-record handling.
   */
  void populateDisplayData(DisplayData.Builder builder) {
    EvalConfig evalConfig = config.config();
    builder
        .add(DisplayData.item("config", config.locations().fileName()).withLabel("EvalConfig"))
        .add(
            DisplayData.item(
                    "models",
                    evalConfig.getModelSpecsList().stream()
                        .map(m -> m.getName().isEmpty() ? "(unnamed)" : m.getName())
                        .collect(Collectors.joining(", ")))
                .withLabel("Model specs"))
        .add(
            DisplayData.item(
                    "metrics",
                    (long)
                        evalConfig.getMetricsSpecsList().stream()
                            .mapToInt(MetricsSpec::getMetricsCount)
                            .sum())
                .withLabel("Metrics configured"))
        .add(
            DisplayData.item("slicingSpecs", (long) evalConfig.getSlicingSpecsCount())
                .withLabel("Slicing specs"))
        .add(
            DisplayData.item("badRecordPolicy", badRecordPolicy.name())
                .withLabel("Bad-record policy"))
        .addIfNotDefault(
            DisplayData.item("badRecordOutput", badRecordOutput).withLabel("Bad-record output"),
            false)
        .addIfNotDefault(
            DisplayData.item("withoutBaseline", withoutBaseline).withLabel("Without baseline"),
            false);
    modelPaths.forEach(
        (name, path) ->
            builder.add(
                DisplayData.item("model" + (name.isEmpty() ? "" : "." + name), path)
                    .withLabel("SavedModel" + (name.isEmpty() ? "" : " " + name))));
  }

  BadRecordPolicy badRecordPolicy() {
    return badRecordPolicy;
  }

  boolean badRecordOutput() {
    return badRecordOutput;
  }

  /** The local SavedModel directories the evaluation reads, which its output must not hold. */
  List<String> modelDirectories() {
    List<String> paths = new ArrayList<>();
    for (String path : modelPaths.values()) {
      paths.add(Path.of(path).toAbsolutePath().normalize().toString());
    }
    return paths;
  }
}
