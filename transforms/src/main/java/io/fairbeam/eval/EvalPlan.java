package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.extract.FeatureSet;
import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.MetricConfigException;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.metrics.MetricRegistry;
import io.fairbeam.predict.ModelException;
import io.fairbeam.predict.ModelSignature;
import io.fairbeam.predict.SavedModels;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricConfig;
import io.fairbeam.proto.tfma.MetricsSpec;
import io.fairbeam.proto.tfma.ModelSpec;
import io.fairbeam.proto.tfma.Options;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.slice.SliceKeyExtractor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An EvalConfig resolved into what the pipeline does: which features to read, how to slice,
 * which metrics to compute and what each slice must accumulate for them. Built once, before any
 * data is read, by {@link #create}; every stage reads it and none guesses a default.
 *
 * <p>Whatever the config asks for that Fairbeam does not yet do (confidence intervals, metric
 * thresholds, cross-slicing, multi-class options) is an error here, never
 * silently ignored.
 */
public final class EvalPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The output kinds {@code options.disabled_outputs} may name. */
  public static final Set<String> KNOWN_OUTPUTS =
      Set.of("metrics", "plots", "validations", "eval_config.json", "analysis", "attributions");

  /** Examples per inference call when a ModelSpec sets no {@code inference_batch_size}. */
  public static final int DEFAULT_INFERENCE_BATCH_SIZE = 256;

  private final EvalConfig config;
  private final List<ModelPlan> models;
  private final boolean weighted;
  private final List<SlicingSpec> slicingSpecs;
  private final List<MetricDefinition> metrics;
  private final AccumulatorSpec accumulatorSpec;
  private final FeatureSet features;
  private final int minSliceSize;
  private final Set<String> disabledOutputs;
  private final BadRecordPolicy badRecordPolicy;

  private EvalPlan(Builder b) {
    this.config = b.config;
    this.weighted = b.weighted;
    List<ModelPlan> resolved = new ArrayList<>();
    for (ModelPlan m : b.models) {
      resolved.add(new ModelPlan(m.index(), m.specName(), m.metricModelName(), m.labelKey(),
          m.predictionFeature(), weighted ? m.weightKey() : null, m.baseline(), m.inference()));
    }
    this.models = List.copyOf(resolved);
    this.slicingSpecs = List.copyOf(b.slicingSpecs);
    this.metrics = List.copyOf(b.metrics);
    AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
    metrics.forEach(m -> m.declareNeeds(needs));
    this.accumulatorSpec = needs.build();
    Set<String> featureNames = new LinkedHashSet<>();
    for (ModelPlan model : models) {
      featureNames.add(model.labelKey());
      if (model.predictionFeature() != null) {
        featureNames.add(model.predictionFeature());
      }
      if (model.weightKey() != null) {
        featureNames.add(model.weightKey());
      }
      if (model.inference() != null && !model.inference().signature().takesSerializedExamples()) {
        featureNames.addAll(model.inference().signature().inputs().keySet());
      }
    }
    featureNames.addAll(SliceKeyExtractor.featuresOf(slicingSpecs));
    this.features = FeatureSet.of(new ArrayList<>(featureNames));
    this.minSliceSize = b.minSliceSize;
    this.disabledOutputs = Set.copyOf(b.disabledOutputs);
    this.badRecordPolicy = b.badRecordPolicy;
  }

  private static final class Builder {
    EvalConfig config;
    List<ModelPlan> models = new ArrayList<>();
    boolean weighted;
    List<SlicingSpec> slicingSpecs = new ArrayList<>();
    List<MetricDefinition> metrics = new ArrayList<>();
    int minSliceSize;
    Set<String> disabledOutputs = new LinkedHashSet<>();
    BadRecordPolicy badRecordPolicy;
  }

  /**
   * Resolves {@code config}; {@code locations} lets errors name the line at fault.
   *
   * @throws ConfigException if the config is invalid or asks for something not supported
   */
  public static EvalPlan create(
      EvalConfig config, ConfigLocations locations, BadRecordPolicy badRecordPolicy)
      throws ConfigException {
    return create(config, locations, badRecordPolicy, Map.of());
  }

  /**
   * Resolves {@code config} with the SavedModels given on the command line: {@code modelPaths}
   * maps a ModelSpec name to a model directory (the empty name: the only ModelSpec). Each model
   * is loaded once here to check its signature against the config, so a wrong model fails before
   * any data is read.
   *
   * @throws ConfigException if the config is invalid, asks for something not supported, or does
   *     not fit a model
   */
  public static EvalPlan create(EvalConfig config, ConfigLocations locations,
      BadRecordPolicy badRecordPolicy, Map<String, String> modelPaths) throws ConfigException {
    Builder b = new Builder();
    b.config = config;
    b.badRecordPolicy = badRecordPolicy;

    resolveModels(config, locations, modelPaths, b);
    boolean anyWeightKey = b.models.stream().anyMatch(m -> m.weightKey() != null);

    for (int i = 0; i < config.getSlicingSpecsCount(); i++) {
      SlicingSpec spec = config.getSlicingSpecs(i);
      rejectIf(!spec.getSliceKeysSql().isEmpty(), locations.describe("slicing_specs[" + i + "]"),
          "slice_keys_sql");
      if (!b.slicingSpecs.contains(spec)) {
        b.slicingSpecs.add(spec);
      }
    }
    if (b.slicingSpecs.isEmpty()) {
      b.slicingSpecs.add(SlicingSpec.getDefaultInstance());
    }
    rejectIf(config.getCrossSlicingSpecsCount() > 0,
        locations.describe("cross_slicing_specs[0]"), "cross_slicing_specs");

    Options options = config.getOptions();
    rejectIf(options.hasComputeConfidenceIntervals()
            && options.getComputeConfidenceIntervals().getValue(),
        locations.describe("options"), "compute_confidence_intervals: true");
    b.minSliceSize = options.hasMinSliceSize() ? options.getMinSliceSize().getValue() : 0;
    if (b.minSliceSize < 0) {
      throw new ConfigException(locations.describe("options.min_slice_size")
          + ": min_slice_size must be 0 or more, got " + b.minSliceSize);
    }
    for (String output : options.getDisabledOutputs().getValuesList()) {
      if (!KNOWN_OUTPUTS.contains(output)) {
        throw new ConfigException(locations.describe("options") + ": unknown disabled_outputs \""
            + output + "\"; accepted: " + new java.util.TreeSet<>(KNOWN_OUTPUTS));
      }
      b.disabledOutputs.add(output);
    }

    Boolean weighted = null;
    Set<String> keys = new LinkedHashSet<>();
    for (int s = 0; s < config.getMetricsSpecsCount(); s++) {
      MetricsSpec spec = config.getMetricsSpecs(s);
      String specWhere = locations.describe("metrics_specs[" + s + "]");
      rejectIf(spec.getOutputNamesCount() > 0, specWhere, "output_names");
      rejectIf(spec.hasBinarize(), specWhere, "binarize (multi-class)");
      rejectIf(spec.hasAggregate(), specWhere, "aggregate (multi-class)");
      rejectIf(!spec.getQueryKey().isEmpty(), specWhere, "query_key (ranking)");
      rejectIf(spec.getOutputWeightsCount() > 0, specWhere, "output_weights");
      rejectIf(spec.getThresholdsCount() > 0 || spec.getPerSliceThresholdsCount() > 0
              || spec.getCrossSliceThresholdsCount() > 0, specWhere,
          "metric thresholds (model validation)");
      checkModelNames(spec, b.models, specWhere);
      boolean specWeighted = spec.getExampleWeights().getWeighted()
          || (!spec.getExampleWeights().getUnweighted() && anyWeightKey);
      if (spec.getExampleWeights().getWeighted() && spec.getExampleWeights().getUnweighted()) {
        throw new ConfigException(specWhere + ": example_weights with both weighted and"
            + " unweighted is not supported yet; choose one");
      }
      for (ModelPlan model : b.models) {
        if (specWeighted && model.weightKey() == null) {
          throw new ConfigException(specWhere + ": weighted metrics need example_weight_key in"
              + " every model_specs; " + model.describe() + " has none");
        }
      }
      if (spec.getMetricsCount() > 0) {
        if (weighted != null && weighted != specWeighted) {
          throw new ConfigException(specWhere + ": metrics_specs that mix weighted and unweighted"
              + " metrics are not supported yet");
        }
        weighted = specWeighted;
      }
      for (int m = 0; m < spec.getMetricsCount(); m++) {
        MetricConfig metric = spec.getMetrics(m);
        String metricWhere = locations.describe("metrics_specs[" + s + "].metrics[" + m + "]");
        rejectIf(metric.hasThreshold() || metric.getPerSliceThresholdsCount() > 0
                || metric.getCrossSliceThresholdsCount() > 0, metricWhere,
            "metric thresholds (model validation)");
        MetricDefinition definition;
        try {
          definition = MetricRegistry.create(metric.getClassName(), metric.getConfig(),
              specWeighted);
        } catch (MetricConfigException e) {
          throw new ConfigException(metricWhere + ": " + e.getMessage());
        }
        b.metrics.add(definition);
        checkDistinctKeys(definition, keys, metricWhere);
      }
    }
    if (b.metrics.isEmpty()) {
      throw new ConfigException(locations.describe("metrics_specs")
          + ": no metrics configured; add metrics_specs { metrics { class_name: ... } }");
    }
    b.weighted = weighted != null && weighted;
    return new EvalPlan(b);
  }

  private static void resolveModels(EvalConfig config, ConfigLocations locations,
      Map<String, String> modelPaths, Builder b) throws ConfigException {
    int count = config.getModelSpecsCount();
    if (count == 0) {
      throw new ConfigException(locations.describe("model_specs")
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
        throw new ConfigException(where + ": two model_specs are named \"" + model.getName()
            + "\"");
      }
      if (model.getIsBaseline()) {
        baselines++;
      }
    }
    if (baselines > 1) {
      throw new ConfigException(locations.describe("model_specs")
          + ": more than one model_specs has is_baseline: true");
    }
    if (paths.containsKey("")) {
      if (count > 1) {
        throw new ConfigException("--model " + paths.get("") + ": the config has several"
            + " model_specs; give --model NAME=PATH for each of " + names);
      }
      paths.put(config.getModelSpecs(0).getName(), paths.remove(""));
    }
    for (String name : paths.keySet()) {
      if (!names.contains(name)) {
        throw new ConfigException("--model " + name + "=" + paths.get(name)
            + ": no model_specs is named \"" + name + "\"; names: " + names);
      }
    }
    for (int i = 0; i < count; i++) {
      b.models.add(resolveModel(i, config.getModelSpecs(i), count,
          paths.get(config.getModelSpecs(i).getName()), locations));
    }
  }

  private static ModelPlan resolveModel(int index, ModelSpec model, int count, String path,
      ConfigLocations locations) throws ConfigException {
    String where = locations.describe("model_specs[" + index + "]");
    rejectIf(model.getLabelKeysCount() > 0, where, "label_keys (multi-output models)");
    rejectIf(model.getPredictionKeysCount() > 0, where, "prediction_keys (multi-output models)");
    rejectIf(model.getExampleWeightKeysCount() > 0, where, "example_weight_keys");
    rejectIf(model.hasPaddingOptions(), where, "padding_options");
    rejectIf(model.getPreprocessingFunctionNamesCount() > 0, where,
        "preprocessing_function_names");
    if (model.getLabelKey().isEmpty()) {
      throw new ConfigException(where + ": label_key is required (the feature holding the label)");
    }
    String weightKey = model.getExampleWeightKey().isEmpty() ? null : model.getExampleWeightKey();
    String metricModelName = count > 1 ? model.getName() : "";
    if (path == null) {
      if (model.getPredictionKey().isEmpty()) {
        throw new ConfigException(where + ": prediction_key is required: it names the feature"
            + " that holds the model's score; or run a SavedModel with --model "
            + (count > 1 ? model.getName() + "=PATH" : "PATH"));
      }
      return new ModelPlan(index, model.getName(), metricModelName, model.getLabelKey(),
          model.getPredictionKey(), weightKey, model.getIsBaseline(), null);
    }
    String signatureName =
        model.getSignatureName().isEmpty() ? "serving_default" : model.getSignatureName();
    String what = where + " (" + (model.getName().isEmpty() ? "" : "model '" + model.getName()
        + "', ") + "--model " + path + ")";
    ModelSignature signature;
    try {
      signature = SavedModels.signature(path, signatureName);
    } catch (ModelException e) {
      throw new ConfigException(what + ": " + e.getMessage());
    }
    String context = what + ", signature '" + signatureName + "'";
    checkInputs(signature, context);
    ModelSignature.Tensor output = chooseOutput(signature,
        model.getPredictionKey(), context);
    int batchSize = model.getInferenceBatchSize() > 0
        ? model.getInferenceBatchSize() : DEFAULT_INFERENCE_BATCH_SIZE;
    return new ModelPlan(index, model.getName(), metricModelName, model.getLabelKey(), null,
        weightKey, model.getIsBaseline(),
        new ModelPlan.Inference(path, signature, output, batchSize));
  }

  private static void checkInputs(ModelSignature signature, String context)
      throws ConfigException {
    if (signature.inputs().isEmpty()) {
      throw new ConfigException(context + ": the signature has no inputs");
    }
    if (signature.takesSerializedExamples()) {
      return;
    }
    for (ModelSignature.Tensor input : signature.inputs().values()) {
      if (input.dtype() == ModelSignature.DType.OTHER) {
        throw new ConfigException(context + ": input '" + input.key() + "' has type "
            + input.dtypeName() + "; inputs built from features must be float, double, int32,"
            + " int64 or string");
      }
      if (input.shape().length == 0 || input.valuesPerExample() < 0) {
        throw new ConfigException(context + ": input '" + input.key() + "' has shape "
            + Arrays.toString(input.shape()) + "; a batch dimension followed by"
            + " known dimensions is needed to build it from feature '" + input.key() + "'");
      }
    }
  }

  private static ModelSignature.Tensor chooseOutput(
      ModelSignature signature, String predictionKey, String context)
      throws ConfigException {
    ModelSignature.Tensor output;
    if (!predictionKey.isEmpty()) {
      output = signature.outputs().get(predictionKey);
      if (output == null) {
        throw new ConfigException(context + ": prediction_key \"" + predictionKey
            + "\" is not an output of the signature; outputs: "
            + ModelSignature.describe(signature.outputs()));
      }
    } else if (signature.outputs().size() == 1) {
      output = signature.outputs().values().iterator().next();
    } else {
      throw new ConfigException(context + ": the signature has several outputs ("
          + ModelSignature.describe(signature.outputs())
          + "); set prediction_key to the one that holds the score");
    }
    long[] shape = output.shape();
    boolean onePerExample = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
    boolean numeric = output.dtype() == ModelSignature.DType.FLOAT
        || output.dtype() == ModelSignature.DType.DOUBLE;
    if (!onePerExample || !numeric) {
      throw new ConfigException(context + ": output '" + output.key() + "' is "
          + output.describe() + "; a float score per example ([batch] or [batch, 1]) is needed"
          + " (multi-class outputs are not supported yet)");
    }
    return output;
  }

  /** Metrics for only some of the models are not supported; every named model must exist. */
  private static void checkModelNames(MetricsSpec spec, List<ModelPlan> models, String where)
      throws ConfigException {
    if (spec.getModelNamesCount() == 0) {
      return;
    }
    Set<String> known = new LinkedHashSet<>();
    models.forEach(m -> known.add(m.specName()));
    Set<String> named = new LinkedHashSet<>(spec.getModelNamesList());
    for (String name : named) {
      if (!known.contains(name)) {
        throw new ConfigException(where + ": model_names names \"" + name
            + "\", but no model_specs has that name; names: " + known);
      }
    }
    if (!named.containsAll(known)) {
      throw new ConfigException(where + ": model_names " + named + " leaves out some of "
          + known + "; metrics for only some models are not supported yet");
    }
  }

  private static void rejectIf(boolean condition, String where, String what)
      throws ConfigException {
    if (condition) {
      throw new ConfigException(where + ": " + what + " is not supported yet");
    }
  }

  /** Fails when two metrics would write the same key, which TFMA's readers cannot tell apart. */
  private static void checkDistinctKeys(MetricDefinition metric, Set<String> keys, String where)
      throws ConfigException {
    List<String> produced = new ArrayList<>();
    metric.compute(
        new io.fairbeam.metrics.SliceStatistics(new io.fairbeam.metrics.SliceAccumulator(
            specOf(metric))),
        new io.fairbeam.metrics.MetricSink() {
          @Override
          public void metric(String name, boolean w, io.fairbeam.proto.tfma.MetricValue v) {
            produced.add("metric " + name);
          }

          @Override
          public void plot(String name, boolean w, io.fairbeam.proto.tfma.PlotData v) {
            produced.add("plot " + name);
          }
        });
    for (String key : produced) {
      if (!keys.add(key)) {
        throw new ConfigException(where + ": " + key.replace("metric ", "metric key ")
            + " is already produced by another metric; give one of them a different \"name\"");
      }
    }
  }

  private static AccumulatorSpec specOf(MetricDefinition metric) {
    AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
    metric.declareNeeds(needs);
    return needs.build();
  }

  /** The config as given, written to {@code eval_config.json}. */
  public EvalConfig config() {
    return config;
  }

  /** The models in config order; each example is evaluated for every one. */
  public List<ModelPlan> models() {
    return models;
  }

  /** The baseline model, or null when none is marked {@code is_baseline}. */
  public ModelPlan baseline() {
    return models.stream().filter(ModelPlan::baseline).findFirst().orElse(null);
  }

  /** Whether any model's score comes from running a SavedModel. */
  public boolean hasInference() {
    return models.stream().anyMatch(m -> m.inference() != null);
  }

  /** Whether a model takes the serialized records themselves (so they must be tf.Examples). */
  public boolean needsSerializedExamples() {
    return models.stream().anyMatch(m -> m.inference() != null
        && m.inference().signature().takesSerializedExamples());
  }

  /** The most examples any model takes in one inference call. */
  public int inferenceBatchSize() {
    return models.stream().filter(m -> m.inference() != null)
        .mapToInt(m -> m.inference().batchSize()).max().orElse(1);
  }

  /** Whether metrics (other than ExampleCount) are weighted. */
  public boolean weighted() {
    return weighted;
  }

  /** The distinct slicing specs; Overall alone when the config has none, as in TFMA. */
  public List<SlicingSpec> slicingSpecs() {
    return slicingSpecs;
  }

  public List<MetricDefinition> metrics() {
    return metrics;
  }

  public AccumulatorSpec accumulatorSpec() {
    return accumulatorSpec;
  }

  /**
   * The features to read: labels, predictions, weights, model inputs (built from features of the
   * same name) and slicing features.
   */
  public FeatureSet features() {
    return features;
  }

  /** TFMA's {@code min_slice_size}: smaller non-Overall slices are suppressed (0: none). */
  public int minSliceSize() {
    return minSliceSize;
  }

  public boolean outputEnabled(String output) {
    return !disabledOutputs.contains(output);
  }

  public BadRecordPolicy badRecordPolicy() {
    return badRecordPolicy;
  }
}
