package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.extract.FeatureSet;
import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.MetricConfigException;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.metrics.MetricRegistry;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricConfig;
import io.fairbeam.proto.tfma.MetricsSpec;
import io.fairbeam.proto.tfma.ModelSpec;
import io.fairbeam.proto.tfma.Options;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.slice.SliceKeyExtractor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An EvalConfig resolved into what the pipeline does: which features to read, how to slice,
 * which metrics to compute and what each slice must accumulate for them. Built once, before any
 * data is read, by {@link #create}; every stage reads it and none guesses a default.
 *
 * <p>Whatever the config asks for that Fairbeam does not yet do (confidence intervals, metric
 * thresholds, cross-slicing, several models, multi-class options) is an error here, never
 * silently ignored.
 */
public final class EvalPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The output kinds {@code options.disabled_outputs} may name. */
  public static final Set<String> KNOWN_OUTPUTS =
      Set.of("metrics", "plots", "validations", "eval_config.json", "analysis", "attributions");

  private final EvalConfig config;
  private final String labelKey;
  private final String predictionKey;
  private final String weightKey;
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
    this.labelKey = b.labelKey;
    this.predictionKey = b.predictionKey;
    this.weightKey = b.weightKey;
    this.weighted = b.weighted;
    this.slicingSpecs = List.copyOf(b.slicingSpecs);
    this.metrics = List.copyOf(b.metrics);
    AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
    metrics.forEach(m -> m.declareNeeds(needs));
    this.accumulatorSpec = needs.build();
    List<String> featureNames = new ArrayList<>();
    featureNames.add(labelKey);
    featureNames.add(predictionKey);
    if (weighted) {
      featureNames.add(weightKey);
    }
    featureNames.addAll(SliceKeyExtractor.featuresOf(slicingSpecs));
    this.features = FeatureSet.of(featureNames);
    this.minSliceSize = b.minSliceSize;
    this.disabledOutputs = Set.copyOf(b.disabledOutputs);
    this.badRecordPolicy = b.badRecordPolicy;
  }

  private static final class Builder {
    EvalConfig config;
    String labelKey;
    String predictionKey;
    String weightKey;
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
    Builder b = new Builder();
    b.config = config;
    b.badRecordPolicy = badRecordPolicy;

    if (config.getModelSpecsCount() == 0) {
      throw new ConfigException(locations.describe("model_specs")
          + ": no model_specs; add model_specs { label_key: \"...\" prediction_key: \"...\" }");
    }
    if (config.getModelSpecsCount() > 1) {
      throw new ConfigException(locations.describe("model_specs[1]")
          + ": several model_specs (candidate and baseline) are not supported yet;"
          + " give one model_specs");
    }
    ModelSpec model = config.getModelSpecs(0);
    String where = locations.describe("model_specs[0]");
    rejectIf(model.getLabelKeysCount() > 0, where, "label_keys (multi-output models)");
    rejectIf(model.getPredictionKeysCount() > 0, where, "prediction_keys (multi-output models)");
    rejectIf(model.getExampleWeightKeysCount() > 0, where, "example_weight_keys");
    rejectIf(model.hasPaddingOptions(), where, "padding_options");
    rejectIf(model.getPreprocessingFunctionNamesCount() > 0, where,
        "preprocessing_function_names");
    if (model.getLabelKey().isEmpty()) {
      throw new ConfigException(where + ": label_key is required (the feature holding the label)");
    }
    if (model.getPredictionKey().isEmpty()) {
      throw new ConfigException(where + ": prediction_key is required: it names the feature that"
          + " holds the model's score (evaluating a SavedModel is not supported yet)");
    }
    b.labelKey = model.getLabelKey();
    b.predictionKey = model.getPredictionKey();
    b.weightKey = model.getExampleWeightKey().isEmpty() ? null : model.getExampleWeightKey();

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
      for (String name : spec.getModelNamesList()) {
        if (!name.isEmpty() && !name.equals(model.getName())) {
          throw new ConfigException(specWhere + ": model_names names \"" + name
              + "\", but the only model_specs is named \"" + model.getName() + "\"");
        }
      }
      boolean specWeighted = spec.getExampleWeights().getWeighted()
          || (!spec.getExampleWeights().getUnweighted() && b.weightKey != null);
      if (spec.getExampleWeights().getWeighted() && spec.getExampleWeights().getUnweighted()) {
        throw new ConfigException(specWhere + ": example_weights with both weighted and"
            + " unweighted is not supported yet; choose one");
      }
      if (specWeighted && b.weightKey == null) {
        throw new ConfigException(specWhere + ": example_weights.weighted needs"
            + " model_specs.example_weight_key");
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

  public String labelKey() {
    return labelKey;
  }

  public String predictionKey() {
    return predictionKey;
  }

  /** The example weight feature, or null when metrics are unweighted (then it is not read). */
  public String weightKey() {
    return weighted ? weightKey : null;
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

  /** The features to read: label, prediction, weight and slicing features. */
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
