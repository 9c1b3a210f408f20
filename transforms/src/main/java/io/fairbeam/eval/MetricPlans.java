package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.metrics.Binarization;
import io.fairbeam.metrics.KeyedByAggregation;
import io.fairbeam.metrics.MetricConfigException;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.metrics.MetricRegistry;
import io.fairbeam.proto.tfma.AggregationOptions;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricConfig;
import io.fairbeam.proto.tfma.MetricsSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the {@code metrics_specs} of an EvalConfig into {@link MetricDefinition}s, with TFMA's
 * weighting rule (weighted when the spec says so, or when a model has a weight key and the spec
 * does not say unweighted), and checks that no two metrics write the same key, which TFMA's readers
 * could not tell apart.
 */
final class MetricPlans {
  private MetricPlans() {}

  /**
   * The resolved metrics, each spec's metrics with the sub-keys its {@code binarize} asks for, and
   * whether they (other than ExampleCount) are weighted.
   */
  record Resolved(List<MetricDefinition> metrics, List<Group> groups, boolean weighted) {}

  /**
   * The metrics of one {@code metrics_specs} (or of one metric with its own {@code top_k} or {@code
   * class_id}), computed for each of its binarizations (its micro averages among them) and, when it
   * has one, macro-averaged as its {@code aggregate} says (null: none, or a micro average).
   */
  record Group(
      List<Binarization> binarizations,
      List<MetricDefinition> metrics,
      AggregationOptions aggregate,
      String where,
      List<String> outputNames,
      Map<String, Float> outputWeights) {}

  /**
   * Resolves the metrics of {@code config} for {@code models}.
   *
   * @throws ConfigException naming the config line of the first metric that cannot be computed
   */
  static Resolved resolve(EvalConfig config, ConfigLocations locations, List<ModelPlan> models) {
    boolean anyWeightKey = models.stream().anyMatch(m -> m.weightKey() != null);
    Boolean weighted = null;
    List<MetricDefinition> metrics = new ArrayList<>();
    List<Group> groups = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    Set<String> configured = new LinkedHashSet<>();
    for (int s = 0; s < config.getMetricsSpecsCount(); s++) {
      MetricsSpec spec = config.getMetricsSpecs(s);
      String specWhere = locations.describe("metrics_specs[" + s + "]");
      ConfigChecks.checkMetricsSpec(spec, specWhere);
      ConfigChecks.checkModelNames(spec, models, specWhere);
      boolean specWeighted =
          spec.getExampleWeights().getWeighted()
              || (!spec.getExampleWeights().getUnweighted() && anyWeightKey);
      for (ModelPlan model : models) {
        // Without any example_weight_key every weight is 1 (TFMA's default), so a weighted spec
        // is its unweighted values keyed example_weighted.
        if (specWeighted && model.weightKey() == null && anyWeightKey) {
          throw new ConfigException(
              specWhere
                  + ": weighted metrics need example_weight_key in"
                  + " every model_specs; "
                  + model.describe()
                  + " has none");
        }
      }
      if (specWeighted
          && spec.getOutputNamesCount() == 0
          && config.getModelSpecsList().stream().anyMatch(m -> m.getExampleWeightKeysCount() > 0)) {
        throw new ConfigException(
            specWhere
                + ": weighted metrics without output_names, but example_weight_keys weighs each"
                + " output of a model apart (TFMA cannot count a weight per output either); name"
                + " the outputs in output_names");
      }
      if (spec.getMetricsCount() > 0) {
        if (anyWeightKey && weighted != null && weighted != specWeighted) {
          throw new ConfigException(
              specWhere
                  + ": metrics_specs that mix weighted and unweighted"
                  + " metrics are not supported yet");
        }
        weighted = specWeighted;
      }
      List<Binarization> binarizations = Binarization.of(spec);
      List<MetricDefinition> specMetrics = new ArrayList<>();
      for (int m = 0; m < spec.getMetricsCount(); m++) {
        MetricConfig metric = spec.getMetrics(m);
        String metricWhere = locations.describe("metrics_specs[" + s + "].metrics[" + m + "]");
        checkModule(metric, metricWhere);
        // TFMA computes a metric configured twice the same way once (its default specs repeat
        // ExampleCount); only a different metric under the same key is a conflict.
        String signature =
            metric.getClassName()
                + "|"
                + metric.getConfig()
                + "|"
                + specWeighted
                + "|"
                + binarizations
                + "|"
                + spec.getAggregate();
        if (!configured.add(signature)) {
          continue;
        }
        MetricDefinition definition;
        try {
          definition =
              MetricRegistry.create(metric.getClassName(), metric.getConfig(), specWeighted);
        } catch (MetricConfigException e) {
          throw new ConfigException(metricWhere + ": " + e.getMessage());
        }
        if (definition.comparesModels() && models.stream().noneMatch(ModelPlan::baseline)) {
          throw new ConfigException(
              metricWhere
                  + ": "
                  + metric.getClassName()
                  + " compares a candidate model with its baseline; add a model_specs with"
                  + " is_baseline: true");
        }
        if (!definition.takesClassWeights()
            && spec.getAggregate().getMicroAverage()
            && spec.getAggregate().getClassWeightsCount() > 0) {
          throw new ConfigException(
              metricWhere
                  + ": "
                  + metric.getClassName()
                  + " does not take the class_weights of a micro average (TFMA refuses it too);"
                  + " move it to a metrics_specs without them");
        }
        metrics.add(definition);
        Binarization own = definition.ownBinarization();
        if (own != null) {
          // Binarized by its own top_k or class_id: a group of its own.
          List<Binarization> merged = ownBinarizations(spec, own, metricWhere);
          for (Binarization binarization : merged) {
            checkDistinctKeys(definition, keyVariant(binarization, definition), keys, metricWhere);
          }
          groups.add(
              new Group(
                  merged,
                  List.of(definition),
                  null,
                  specWhere,
                  spec.getOutputNamesList(),
                  spec.getOutputWeightsMap()));
          continue;
        }
        if (!definition.keyedByAggregation()
            && binarizations.stream().anyMatch(b -> b.aggregationType() != null)
            && collides(definition, binarizations, keys)) {
          // Keyed as TFMA keys it, it would be another metric's key: keep both values apart.
          definition = new KeyedByAggregation(definition);
          metrics.set(metrics.size() - 1, definition);
        }
        for (Binarization binarization : binarizations) {
          checkDistinctKeys(definition, keyVariant(binarization, definition), keys, metricWhere);
        }
        if (spec.hasAggregate() && !spec.getAggregate().getMicroAverage()) {
          checkDistinctKeys(definition, "macro average", keys, metricWhere);
        }
        specMetrics.add(definition);
      }
      AggregationOptions macro =
          spec.hasAggregate() && !spec.getAggregate().getMicroAverage()
              ? spec.getAggregate()
              : null;
      groups.add(
          new Group(
              binarizations,
              specMetrics,
              macro,
              specWhere,
              spec.getOutputNamesList(),
              spec.getOutputWeightsMap()));
    }
    if (metrics.isEmpty()) {
      throw new ConfigException(
          locations.describe("metrics_specs")
              + ": no metrics configured; add metrics_specs { metrics { class_name: ... } }");
    }
    return new Resolved(metrics, groups, weighted != null && weighted);
  }

  /** Whether one of {@code metric}'s keys under {@code binarizations} is already taken. */
  private static boolean collides(
      MetricDefinition metric, List<Binarization> binarizations, Set<String> keys) {
    for (Binarization binarization : binarizations) {
      String variant = keyVariant(binarization, metric);
      String subKey = variant.equals(Binarization.NONE.toString()) ? "" : " (" + variant + ")";
      for (String key : metric.metricKeys()) {
        if (keys.contains("metric " + key + subKey)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * What sets {@code metric}'s keys under {@code binarization} apart: the binarization, less the
   * micro average for a metric TFMA keys without it.
   */
  private static String keyVariant(Binarization binarization, MetricDefinition metric) {
    if (binarization.aggregationType() == null || metric.keyedByAggregation()) {
      return binarization.toString();
    }
    return binarization.subKey() == null
        ? Binarization.NONE.toString()
        : Binarization.topK(binarization.subKey().getTopK().getValue()).toString();
  }

  /**
   * The binarizations of a metric with its own {@code top_k} or {@code class_id}: that one; merged
   * into each sub-key of the spec's {@code binarize}, as TFMA merges them ({@link
   * Binarization#forMetric}); or with the spec's micro average its top k pooled. TFMA weighs a top
   * k's positions by class weights, which Fairbeam refuses.
   */
  private static List<Binarization> ownBinarizations(
      MetricsSpec spec, Binarization own, String where) {
    if (spec.hasBinarize() && spec.hasAggregate()) {
      throw new ConfigException(
          where
              + ": "
              + own
              + " of a metric in a metrics_specs with both binarize and aggregate; move the metric"
              + " to a metrics_specs of its own");
    }
    if (spec.hasBinarize()) {
      try {
        return Binarization.forMetric(spec, own);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": " + e.getMessage());
      }
    }
    if (!spec.hasAggregate()) {
      return List.of(own);
    }
    AggregationOptions aggregate = spec.getAggregate();
    if (aggregate.getMicroAverage()
        && own.topKSubKey()
        && aggregate.getClassWeightsCount() == 0
        && aggregate.getTopKList().getValuesCount() == 0) {
      return List.of(own.asMicroAverage());
    }
    throw new ConfigException(
        where
            + ": "
            + own
            + " of a metric in a metrics_specs with aggregate is supported only as a micro_average"
            + " without class_weights or top_k_list; move the metric to a metrics_specs of its own");
  }

  /**
   * The Python modules a metric's {@code module} may name: TFMA's and Keras' own, whose metrics
   * Fairbeam has by class name (TFMA itself takes a class name it registers from TFMA whatever the
   * module says). Any other module is the user's Python code, which Fairbeam cannot run.
   */
  private static final List<String> KNOWN_MODULES =
      List.of(
          "tensorflow_model_analysis",
          "tf_keras",
          "keras",
          "tensorflow.keras",
          "tensorflow.python.keras",
          "tf.keras");

  private static void checkModule(MetricConfig metric, String where) {
    String module = metric.getModule();
    if (module.isEmpty()) {
      return;
    }
    for (String known : KNOWN_MODULES) {
      if (module.equals(known) || module.startsWith(known + ".")) {
        return;
      }
    }
    throw new ConfigException(
        where
            + ": module \""
            + module
            + "\" is Python code, which Fairbeam cannot run; metrics come from TFMA's and Keras'"
            + " catalogues by class_name (leave module empty)");
  }

  /**
   * Fails when {@code metric} writes a key (under {@code variant}: a sub-key, an aggregation, or
   * "none") an earlier metric writes.
   */
  private static void checkDistinctKeys(
      MetricDefinition metric, String variant, Set<String> keys, String where) {
    String subKey = variant.equals("none") ? "" : " (" + variant + ")";
    for (String key : metric.metricKeys()) {
      if (!keys.add("metric " + key + subKey)) {
        throw new ConfigException(
            where
                + ": metric key "
                + key
                + subKey
                + " is already produced by"
                + " another metric; give one of them a different \"name\"");
      }
    }
    for (String key : metric.plotKeys()) {
      if (!keys.add("plot " + key + subKey)) {
        throw new ConfigException(
            where
                + ": plot "
                + key
                + subKey
                + " is already produced by"
                + " another metric; give one of them a different \"name\"");
      }
    }
  }
}
