package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.io.TfmaNames;
import io.fairbeam.metrics.Resampling;
import io.fairbeam.proto.tfma.AggregationOptions;
import io.fairbeam.proto.tfma.ConfidenceIntervalOptions;
import io.fairbeam.proto.tfma.CrossSliceMetricThreshold;
import io.fairbeam.proto.tfma.CrossSlicingSpec;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.GenericChangeThreshold;
import io.fairbeam.proto.tfma.GenericValueThreshold;
import io.fairbeam.proto.tfma.MetricConfig;
import io.fairbeam.proto.tfma.MetricDirection;
import io.fairbeam.proto.tfma.MetricThreshold;
import io.fairbeam.proto.tfma.MetricsSpec;
import io.fairbeam.proto.tfma.ModelSpec;
import io.fairbeam.proto.tfma.Options;
import io.fairbeam.proto.tfma.PerSliceMetricThreshold;
import io.fairbeam.proto.tfma.SlicingSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks of an EvalConfig's parts that need no model and no data: what Fairbeam does not do yet
 * (an error, never silently ignored), the slicing specs, and the options. Each error names the
 * config line and field.
 */
final class ConfigChecks {
  private ConfigChecks() {}

  /** What {@code options} asks for. */
  /**
   * The most samples a config may ask for: each is a row of accumulators in every slice, so the
   * memory of a run grows with it.
   */
  static final int MAX_SAMPLES = 1000;

  record RunOptions(
      int minSliceSize,
      Set<String> disabledOutputs,
      ConfidenceIntervals intervals,
      DecisionTests decisions) {}

  static void rejectIf(boolean condition, String where, String what) {
    if (condition) {
      throw new ConfigException(where + ": " + what + " is not supported yet");
    }
  }

  /** The distinct slicing specs; Overall alone when the config has none, as in TFMA. */
  static List<SlicingSpec> slicingSpecs(EvalConfig config, ConfigLocations locations) {
    List<SlicingSpec> specs = new ArrayList<>();
    for (int i = 0; i < config.getSlicingSpecsCount(); i++) {
      SlicingSpec spec = config.getSlicingSpecs(i);
      rejectIf(
          !spec.getSliceKeysSql().isEmpty(),
          locations.describe("slicing_specs[" + i + "]"),
          "slice_keys_sql");
      if (!specs.contains(spec)) {
        specs.add(spec);
      }
    }
    if (specs.isEmpty()) {
      specs.add(SlicingSpec.getDefaultInstance());
    }
    for (int i = 0; i < config.getCrossSlicingSpecsCount(); i++) {
      CrossSlicingSpec cross = config.getCrossSlicingSpecs(i);
      String where = locations.describe("cross_slicing_specs[" + i + "]");
      rejectIf(!cross.getBaselineSpec().getSliceKeysSql().isEmpty(), where, "slice_keys_sql");
      for (SlicingSpec comparison : cross.getSlicingSpecsList()) {
        rejectIf(!comparison.getSliceKeysSql().isEmpty(), where, "slice_keys_sql");
      }
    }
    return specs;
  }

  /**
   * The intervals {@code options.confidence_intervals} asks for: TFMA's method (the jackknife when
   * unset, as TFMA) with Fairbeam's samples, level and seed where set.
   */
  private static ConfidenceIntervals intervals(
      ConfidenceIntervalOptions options, ConfigLocations locations) {
    String where = locations.describe("options.confidence_intervals");
    Resampling.Method method =
        switch (options.getMethod()) {
          case POISSON_BOOTSTRAP -> Resampling.Method.POISSON_BOOTSTRAP;
          case JACKKNIFE, UNKNOWN_CONFIDENCE_INTERVAL_METHOD -> Resampling.Method.JACKKNIFE;
          case UNRECOGNIZED ->
              throw new ConfigException(where + ": unknown method " + options.getMethodValue());
        };
    int samples = options.getNumSamples();
    if (samples == 0) {
      samples = ConfidenceIntervals.TFMA_SAMPLES;
    } else if (samples < 2 || samples > MAX_SAMPLES) {
      throw new ConfigException(
          where + ": num_samples must be from 2 to " + MAX_SAMPLES + ", got " + samples);
    }
    double level = level(options, where);
    return new ConfidenceIntervals(
        method, samples, level, options.getSeed(), options.getExampleIdKey());
  }

  static RunOptions options(Options options, ConfigLocations locations) {
    ConfidenceIntervals intervals = null;
    if (options.hasComputeConfidenceIntervals()
        && options.getComputeConfidenceIntervals().getValue()) {
      intervals = intervals(options.getConfidenceIntervals(), locations);
    }
    int minSliceSize = options.hasMinSliceSize() ? options.getMinSliceSize().getValue() : 0;
    if (minSliceSize < 0) {
      throw new ConfigException(
          locations.describe("options.min_slice_size")
              + ": min_slice_size must be 0 or more, got "
              + minSliceSize);
    }
    Set<String> disabled = new LinkedHashSet<>();
    for (String output : options.getDisabledOutputs().getValuesList()) {
      if (!TfmaNames.OUTPUTS.contains(output)) {
        throw new ConfigException(
            locations.describe("options")
                + ": unknown disabled_outputs \""
                + output
                + "\"; accepted: "
                + new TreeSet<>(TfmaNames.OUTPUTS));
      }
      disabled.add(output);
    }
    return new RunOptions(
        minSliceSize, disabled, intervals, decisions(options.getConfidenceIntervals(), locations));
  }

  /** {@code confidence_level}, TFMA's 0.95 when unset. */
  private static double level(ConfidenceIntervalOptions options, String where) {
    double level = options.getConfidenceLevel();
    if (level == 0) {
      return ConfidenceIntervals.TFMA_LEVEL;
    }
    if (!(level > 0 && level < 1)) {
      throw new ConfigException(
          where + ": confidence_level must lie strictly between 0 and 1, got " + level);
    }
    return level;
  }

  /**
   * Fairbeam's decision tests as {@code options.confidence_intervals} sets them; they need no
   * resampling, so they apply whether or not {@code compute_confidence_intervals} is set.
   */
  private static DecisionTests decisions(
      ConfidenceIntervalOptions options, ConfigLocations locations) {
    String where = locations.describe("options.confidence_intervals");
    double level = level(options, where);
    DecisionTests.RateInterval method =
        switch (options.getRateInterval()) {
          case WILSON -> DecisionTests.RateInterval.WILSON;
          case CLOPPER_PEARSON -> DecisionTests.RateInterval.CLOPPER_PEARSON;
          case UNRECOGNIZED ->
              throw new ConfigException(
                  where + ": unknown rate_interval " + options.getRateIntervalValue());
        };
    int minCount = options.getMinFindingCount();
    if (minCount < 0) {
      throw new ConfigException(where + ": min_finding_count must be 0 or more, got " + minCount);
    }
    return new DecisionTests(
        level, method, minCount == 0 ? DecisionTests.DEFAULT_MIN_COUNT : minCount);
  }

  /** Rejects what a {@code model_specs} asks for that Fairbeam does not do; needs a label. */
  static void checkModelSpec(ModelSpec model, String where) {
    rejectIf(model.hasPaddingOptions(), where, "padding_options");
    rejectIf(model.getPreprocessingFunctionNamesCount() > 0, where, "preprocessing_function_names");
    boolean outputs = model.getLabelKeysCount() > 0 || model.getPredictionKeysCount() > 0;
    if (outputs && (!model.getLabelKey().isEmpty() || !model.getPredictionKey().isEmpty())) {
      throw new ConfigException(
          where
              + ": label_key and prediction_key name a single-output model's features and"
              + " label_keys and prediction_keys a multi-output model's; give one pair");
    }
    if (!outputs && model.getExampleWeightKeysCount() > 0) {
      throw new ConfigException(
          where
              + ": example_weight_keys weighs a multi-output model's outputs; this model has none"
              + " (label_keys); use example_weight_key");
    }
  }

  /**
   * Checks {@code binarize}: class ids of 0 or more, k and top k of 1 or more (TFMA refuses k and
   * top_k below 1; a negative class id is out of range of every example).
   */
  private static void checkBinarize(MetricsSpec spec, String where) {
    if (!spec.hasBinarize()) {
      return;
    }
    for (int classId : spec.getBinarize().getClassIds().getValuesList()) {
      if (classId < 0) {
        throw new ConfigException(
            where + ": binarize.class_ids has " + classId + "; class ids are 0 or more");
      }
    }
    checkTopK(spec.getBinarize().getKList().getValuesList(), where, "binarize.k_list", "k");
    checkTopK(spec.getBinarize().getTopKList().getValuesList(), where, "binarize.top_k_list", "k");
  }

  private static void checkTopK(List<Integer> values, String where, String field, String what) {
    for (int k : values) {
      if (k < 1) {
        throw new ConfigException(
            where + ": " + field + " has " + k + "; " + what + " is 1 or more");
      }
    }
  }

  /**
   * Checks {@code aggregate} as TFMA 0.52 does: one of micro, macro or weighted macro average;
   * {@code class_weights} (the classes a macro average is over) required for a macro average
   * without {@code top_k_list}, and refused with one.
   */
  private static void checkAggregate(MetricsSpec spec, String where) {
    if (!spec.hasAggregate()) {
      return;
    }
    AggregationOptions aggregate = spec.getAggregate();
    if (!aggregate.getMicroAverage()
        && !aggregate.getMacroAverage()
        && !aggregate.getWeightedMacroAverage()) {
      throw new ConfigException(
          where
              + ": aggregate needs one of micro_average, macro_average or weighted_macro_average");
    }
    checkTopK(aggregate.getTopKList().getValuesList(), where, "aggregate.top_k_list", "top k");
    boolean topK = aggregate.getTopKList().getValuesCount() > 0;
    if (topK && aggregate.getClassWeightsCount() > 0) {
      throw new ConfigException(
          where
              + ": aggregate.class_weights cannot be used with aggregate.top_k_list (TFMA refuses"
              + " the two together); remove one of them");
    }
    if (!aggregate.getMicroAverage() && !topK && aggregate.getClassWeightsCount() == 0) {
      throw new ConfigException(
          where
              + ": aggregate needs class_weights (the classes averaged over, each with its weight)"
              + " or top_k_list, as TFMA requires for a macro average");
    }
    for (int classId : aggregate.getClassWeightsMap().keySet()) {
      if (classId < 0) {
        throw new ConfigException(
            where + ": aggregate.class_weights has class " + classId + "; class ids are 0 or more");
      }
    }
  }

  /** Rejects what a {@code metrics_specs} asks for that Fairbeam does not do. */
  static void checkMetricsSpec(MetricsSpec spec, String where) {
    Set<String> outputs = new LinkedHashSet<>(spec.getOutputNamesList());
    if (outputs.size() < spec.getOutputNamesCount()) {
      throw new ConfigException(where + ": output_names names an output twice");
    }
    for (String output : spec.getOutputWeightsMap().keySet()) {
      if (!outputs.contains(output)) {
        throw new ConfigException(
            where
                + ": output_weights weighs the output \""
                + output
                + "\", which output_names does not name (TFMA refuses it too); output_names: "
                + outputs);
      }
    }
    if (spec.getOutputWeightsCount() > 0 && spec.hasAggregate()) {
      throw new ConfigException(
          where
              + ": output_weights with aggregate: TFMA 0.52 fails on it (its output average looks"
              + " up each output's key without the aggregation type: KeyError), so there is no"
              + " result to match; put output_weights in a metrics_specs without aggregate");
    }
    checkBinarize(spec, where);
    checkAggregate(spec, where);
    rejectIf(!spec.getQueryKey().isEmpty(), where, "query_key (ranking)");
    if (spec.getExampleWeights().getWeighted() && spec.getExampleWeights().getUnweighted()) {
      throw new ConfigException(
          where
              + ": example_weights with both weighted and"
              + " unweighted is not supported yet; choose one");
    }
  }

  /**
   * Checks every threshold of {@code spec} (its maps and its metrics'): each must be able to fail,
   * say which way a change is better, name slices where it is per slice, and have intervals to
   * judge when it asks for the confidence bound.
   */
  static void checkThresholds(
      MetricsSpec spec, int specIndex, ConfigLocations locations, boolean intervals) {
    String specWhere = locations.describe("metrics_specs[" + specIndex + "]");
    for (var e : spec.getThresholdsMap().entrySet()) {
      checkThreshold(e.getValue(), specWhere + ", thresholds[\"" + e.getKey() + "\"]", intervals);
    }
    for (var e : spec.getPerSliceThresholdsMap().entrySet()) {
      String where = specWhere + ", per_slice_thresholds[\"" + e.getKey() + "\"]";
      for (PerSliceMetricThreshold t : e.getValue().getThresholdsList()) {
        checkPerSlice(t, where, intervals);
      }
    }
    for (var e : spec.getCrossSliceThresholdsMap().entrySet()) {
      String where = specWhere + ", cross_slice_thresholds[\"" + e.getKey() + "\"]";
      for (CrossSliceMetricThreshold t : e.getValue().getThresholdsList()) {
        checkCrossSlice(t, where, intervals);
      }
    }
    for (int m = 0; m < spec.getMetricsCount(); m++) {
      MetricConfig metric = spec.getMetrics(m);
      String where = locations.describe("metrics_specs[" + specIndex + "].metrics[" + m + "]");
      if (metric.hasThreshold()) {
        checkThreshold(metric.getThreshold(), where + ", threshold", intervals);
      }
      for (PerSliceMetricThreshold t : metric.getPerSliceThresholdsList()) {
        checkPerSlice(t, where + ", per_slice_thresholds", intervals);
      }
      for (CrossSliceMetricThreshold t : metric.getCrossSliceThresholdsList()) {
        checkCrossSlice(t, where + ", cross_slice_thresholds", intervals);
      }
    }
  }

  private static void checkPerSlice(PerSliceMetricThreshold t, String where, boolean intervals) {
    if (t.getSlicingSpecsCount() == 0) {
      throw new ConfigException(
          where + ": a per-slice threshold needs slicing_specs (the slices it judges)");
    }
    for (SlicingSpec spec : t.getSlicingSpecsList()) {
      rejectIf(!spec.getSliceKeysSql().isEmpty(), where, "slice_keys_sql");
    }
    checkThreshold(t.getThreshold(), where, intervals);
  }

  private static void checkCrossSlice(
      CrossSliceMetricThreshold t, String where, boolean intervals) {
    if (t.getCrossSlicingSpecsCount() == 0) {
      throw new ConfigException(
          where + ": a cross-slice threshold needs cross_slicing_specs (the pairs it judges)");
    }
    checkThreshold(t.getThreshold(), where, intervals);
  }

  private static void checkThreshold(MetricThreshold threshold, String where, boolean intervals) {
    if (!threshold.hasValueThreshold() && !threshold.hasChangeThreshold()) {
      throw new ConfigException(
          where + ": the threshold sets neither value_threshold nor change_threshold");
    }
    boolean confidence = false;
    if (threshold.hasValueThreshold()) {
      GenericValueThreshold value = threshold.getValueThreshold();
      if (!value.hasLowerBound() && !value.hasUpperBound()) {
        throw new ConfigException(
            where
                + ": value_threshold sets neither lower_bound nor upper_bound, so it can"
                + " never fail");
      }
      confidence = value.getUseConfidenceBound();
    }
    if (threshold.hasChangeThreshold()) {
      GenericChangeThreshold change = threshold.getChangeThreshold();
      if (change.getDirection() != MetricDirection.HIGHER_IS_BETTER
          && change.getDirection() != MetricDirection.LOWER_IS_BETTER) {
        throw new ConfigException(
            where + ": change_threshold needs direction: HIGHER_IS_BETTER or LOWER_IS_BETTER");
      }
      if (!change.hasAbsolute() && !change.hasRelative()) {
        throw new ConfigException(
            where
                + ": change_threshold sets neither absolute nor relative, so it can never"
                + " fail");
      }
      confidence |= change.getUseConfidenceBound();
    }
    if (confidence && !intervals) {
      throw new ConfigException(
          where
              + ": use_confidence_bound needs confidence intervals; set options {"
              + " compute_confidence_intervals { value: true } }");
    }
  }

  /** Metrics for only some of the models are not supported; every named model must exist. */
  static void checkModelNames(MetricsSpec spec, List<ModelPlan> models, String where) {
    if (spec.getModelNamesCount() == 0) {
      return;
    }
    Set<String> known = new LinkedHashSet<>();
    models.forEach(m -> known.add(m.specName()));
    Set<String> named = new LinkedHashSet<>(spec.getModelNamesList());
    for (String name : named) {
      if (!known.contains(name)) {
        throw new ConfigException(
            where
                + ": model_names names \""
                + name
                + "\", but no model_specs has that name; names: "
                + known);
      }
    }
    if (!named.containsAll(known)) {
      throw new ConfigException(
          where
              + ": model_names "
              + named
              + " leaves out some of "
              + known
              + "; metrics for only some models are not supported yet");
    }
  }
}
