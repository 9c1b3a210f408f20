package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.extract.FeatureSet;
import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.gate.RubberStamp;
import io.fairbeam.gate.ThresholdIndex;
import io.fairbeam.gate.ValidationCombiner;
import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.metrics.Resampling;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.slice.SliceKeyExtractor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.annotations.Internal;

/**
 * An EvalConfig resolved into what the pipeline does: which models and features to read, how to
 * slice, which metrics to compute and what each slice must accumulate for them. An immutable value
 * built once, before any data is read, by {@link #create} (from {@link ConfigChecks}, {@link
 * ModelPlans} and {@link MetricPlans}); every stage reads it and none guesses a default.
 */
@Internal
public final class EvalPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EvalConfig config;
  private final List<ModelPlan> models;
  private final List<Head> heads;
  private final List<MacroAverage> macroAverages;
  private final boolean weighted;
  private final List<SlicingSpec> slicingSpecs;
  private final List<MetricDefinition> metrics;
  private final AccumulatorSpec accumulatorSpec;
  private final FeatureSet features;
  private final int minSliceSize;
  private final Set<String> disabledOutputs;
  private final BadRecordPolicy badRecordPolicy;
  private final ConfidenceIntervals confidenceIntervals;
  private final DecisionTests decisions;
  private final ThresholdIndex thresholds;
  private final boolean rubberStamp;
  private final FairnessConstraints constraints;
  private final boolean binaryLabels;

  private EvalPlan(
      EvalConfig config,
      List<ModelPlan> models,
      List<Head> heads,
      List<MacroAverage> macroAverages,
      boolean weighted,
      List<SlicingSpec> slicingSpecs,
      List<MetricDefinition> metrics,
      int minSliceSize,
      Set<String> disabledOutputs,
      ConfidenceIntervals confidenceIntervals,
      DecisionTests decisions,
      BadRecordPolicy badRecordPolicy,
      ThresholdIndex thresholds,
      boolean rubberStamp,
      FairnessConstraints constraints) {
    this.config = config;
    this.constraints = constraints;
    this.thresholds = thresholds;
    this.rubberStamp = rubberStamp;
    this.weighted = weighted;
    List<ModelPlan> resolved = new ArrayList<>();
    for (ModelPlan m : models) {
      resolved.add(m.withWeightKey(weighted ? m.weightKey() : null));
    }
    this.models = List.copyOf(resolved);
    List<Head> resolvedHeads = new ArrayList<>();
    for (Head h : heads) {
      resolvedHeads.add(h.withModel(this.models.get(h.model().index())));
    }
    this.heads = List.copyOf(resolvedHeads);
    List<MacroAverage> resolvedAverages = new ArrayList<>();
    for (MacroAverage a : macroAverages) {
      resolvedAverages.add(
          new MacroAverage(
              this.models.get(a.model().index()),
              a.byLabels(),
              a.subKey(),
              a.weights(),
              a.heads(),
              a.metrics(),
              a.overOutputs()));
    }
    this.macroAverages = List.copyOf(resolvedAverages);
    this.slicingSpecs = List.copyOf(slicingSpecs);
    this.metrics = List.copyOf(metrics);
    AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
    metrics.forEach(m -> m.declareNeeds(needs));
    // A head may compute a metric differently from its config (at −inf under a top_k sub-key).
    this.heads.forEach(h -> h.metrics().forEach(m -> m.declareNeeds(needs)));
    ModelPlan baselineModel =
        this.models.stream().filter(ModelPlan::baseline).findFirst().orElse(null);
    if (baselineModel != null
        && this.models.size() > 1
        && (needs.pairingRequired() || ThresholdIndex.hasChangeThresholdWithBound(config))) {
      needs.pairing(HeadPlans.pairing(this.heads));
    }
    this.accumulatorSpec = needs.build();
    this.binaryLabels =
        !constraints.isEmpty() || metrics.stream().anyMatch(MetricDefinition::needsBinaryLabels);
    Set<String> featureNames = new LinkedHashSet<>();
    for (ModelPlan model : this.models) {
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
    for (int i = 0; i < accumulatorSpec.featureMeanCount(); i++) {
      featureNames.add(accumulatorSpec.meanFeature(i));
      if (!accumulatorSpec.meanWeight(i).isEmpty()) {
        featureNames.add(accumulatorSpec.meanWeight(i));
      }
    }
    featureNames.addAll(SliceKeyExtractor.featuresOf(this.slicingSpecs));
    featureNames.addAll(constraints.features());
    if (confidenceIntervals != null && confidenceIntervals.keyedById()) {
      featureNames.add(confidenceIntervals.exampleIdKey());
    }
    this.features = FeatureSet.of(new ArrayList<>(featureNames));
    this.minSliceSize = minSliceSize;
    this.disabledOutputs = Set.copyOf(disabledOutputs);
    this.badRecordPolicy = badRecordPolicy;
    this.confidenceIntervals = confidenceIntervals;
    this.decisions = decisions;
  }

  /**
   * Resolves {@code config}; {@code locations} lets errors name the line at fault.
   *
   * @throws ConfigException if the config is invalid or asks for something not supported
   */
  public static EvalPlan create(
      EvalConfig config, ConfigLocations locations, BadRecordPolicy badRecordPolicy) {
    return create(config, locations, badRecordPolicy, Map.of());
  }

  /**
   * Resolves {@code config} with SavedModels: {@code modelPaths} maps a ModelSpec name to a model
   * directory (the empty name: the only ModelSpec). Each model is loaded once here to check its
   * signature against the config, so a wrong model fails before any data is read.
   *
   * @throws ConfigException if the config is invalid, asks for something not supported, or does not
   *     fit a model
   */
  public static EvalPlan create(
      EvalConfig config,
      ConfigLocations locations,
      BadRecordPolicy badRecordPolicy,
      Map<String, String> modelPaths) {
    return create(config, locations, badRecordPolicy, modelPaths, false);
  }

  /**
   * As {@link #create(EvalConfig, ConfigLocations, BadRecordPolicy, Map)}; {@code withoutBaseline}
   * makes it a first run with no baseline model yet (TFX's rubber stamp, see {@link RubberStamp}).
   */
  public static EvalPlan create(
      EvalConfig config,
      ConfigLocations locations,
      BadRecordPolicy badRecordPolicy,
      Map<String, String> modelPaths,
      boolean withoutBaseline) {
    ConfigChecks.RunOptions asked = ConfigChecks.options(config.getOptions(), locations);
    for (int s = 0; s < config.getMetricsSpecsCount(); s++) {
      ConfigChecks.checkThresholds(
          config.getMetricsSpecs(s), s, locations, asked.intervals() != null);
    }
    if (withoutBaseline) {
      config = RubberStamp.withoutBaseline(config);
    }
    List<ModelPlan> models = ModelPlans.resolve(config, locations, modelPaths);
    List<SlicingSpec> slicingSpecs = ConfigChecks.slicingSpecs(config, locations);
    ConfigChecks.RunOptions options = ConfigChecks.options(config.getOptions(), locations);
    MetricPlans.Resolved metrics = MetricPlans.resolve(config, locations, models);
    FairnessConstraints constraints = FairnessConstraints.of(config, locations, models);
    HeadPlans.Resolved heads = HeadPlans.resolve(models, metrics.groups(), constraints, locations);
    if (ThresholdIndex.hasChangeThreshold(config)
        && models.stream().noneMatch(ModelPlan::baseline)) {
      throw new ConfigException(
          locations.describe("metrics_specs")
              + ": change thresholds judge the difference from a baseline model, but no"
              + " model_specs has is_baseline: true; add the baseline, or, for a first run"
              + " with no baseline yet, evaluate without one (withoutBaseline()), which drops"
              + " change thresholds as TFX's rubber stamp does");
    }
    List<String> modelNames = new ArrayList<>();
    models.forEach(m -> modelNames.add(m.metricModelName()));
    return new EvalPlan(
        config,
        heads.models(),
        heads.heads(),
        heads.macroAverages(),
        metrics.weighted(),
        slicingSpecs,
        metrics.metrics(),
        options.minSliceSize(),
        options.disabledOutputs(),
        options.intervals(),
        options.decisions(),
        badRecordPolicy,
        ThresholdIndex.of(config, modelNames),
        withoutBaseline,
        constraints);
  }

  /**
   * The config as given (without the baseline on a first run), written to {@code eval_config.json}.
   */
  public EvalConfig config() {
    return config;
  }

  /** The models in config order; each example is evaluated for every one. */
  public List<ModelPlan> models() {
    return models;
  }

  /**
   * What each slice accumulates, in the order of its accumulators: one head per model, or per model
   * and sub-key when metrics are binarized.
   */
  public List<Head> heads() {
    return heads;
  }

  /** The config's {@code aggregate} macro averages, per model; empty when it has none. */
  public List<MacroAverage> macroAverages() {
    return macroAverages;
  }

  /**
   * The baseline model (a multi-output baseline's first output: they share its name), or null when
   * none is marked {@code is_baseline}.
   */
  public ModelPlan baseline() {
    return models.stream().filter(ModelPlan::baseline).findFirst().orElse(null);
  }

  /** Whether any model's score comes from running a SavedModel. */
  public boolean hasInference() {
    return models.stream().anyMatch(m -> m.inference() != null);
  }

  /** Whether a model takes the serialized records themselves (so they must be tf.Examples). */
  public boolean needsSerializedExamples() {
    return models.stream()
        .anyMatch(
            m -> m.inference() != null && m.inference().signature().takesSerializedExamples());
  }

  /** The most examples any model takes in one inference call. */
  public int inferenceBatchSize() {
    return models.stream()
        .filter(m -> m.inference() != null)
        .mapToInt(m -> m.inference().batchSize())
        .max()
        .orElse(1);
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

  /**
   * Whether labels must be TFMA's binary labels (0/1 or a probability): unless every metric takes
   * any finite label (a regression config), and there are no fairness constraints.
   */
  public boolean binaryLabels() {
    return binaryLabels;
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

  /** How confidence intervals are computed, or null when the config asks for none. */
  public ConfidenceIntervals confidenceIntervals() {
    return confidenceIntervals;
  }

  /** Fairbeam's decision tests (score intervals, the fewest examples for a finding). */
  public DecisionTests decisions() {
    return decisions;
  }

  /** The layout of each slice's accumulators: one row without confidence intervals. */
  public Resampling resampling() {
    return confidenceIntervals == null ? Resampling.NONE : confidenceIntervals.resampling();
  }

  /** The config's metric thresholds; empty when it has none. */
  public ThresholdIndex thresholds() {
    return thresholds;
  }

  /** Whether this is a first run without a baseline model (TFX's rubber stamp). */
  public boolean rubberStamp() {
    return rubberStamp;
  }

  /** The config's fairness constraints; empty when it has none. */
  public FairnessConstraints constraints() {
    return constraints;
  }

  /** Whether the run decides on the model: the config has a threshold or constraint. */
  public boolean gates() {
    return !thresholds.isEmpty() || !constraints.isEmpty();
  }

  /** Checks each slice's metrics against {@link #thresholds}. */
  public MetricsValidator validator() {
    ModelPlan baseline = baseline();
    return new MetricsValidator(
        thresholds,
        baseline == null ? null : baseline.metricModelName(),
        confidenceIntervals == null ? ConfidenceIntervals.TFMA_LEVEL : confidenceIntervals.level());
  }

  /** Merges the slices' validations into the run's {@code ValidationResult}. */
  public ValidationCombiner validationCombiner() {
    ModelPlan baseline = baseline();
    return new ValidationCombiner(
        thresholds,
        baseline == null ? null : baseline.metricModelName(),
        rubberStamp,
        !constraints.isEmpty());
  }

  public BadRecordPolicy badRecordPolicy() {
    return badRecordPolicy;
  }
}
