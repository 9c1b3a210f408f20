package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.metrics.Binarization;
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
   * The metrics of one {@code metrics_specs}, computed for each of its binarizations and, when it
   * has one, averaged as its {@code aggregate} says (null: none).
   */
  record Group(
      List<Binarization> binarizations,
      List<MetricDefinition> metrics,
      AggregationOptions aggregate) {}

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
    for (int s = 0; s < config.getMetricsSpecsCount(); s++) {
      MetricsSpec spec = config.getMetricsSpecs(s);
      String specWhere = locations.describe("metrics_specs[" + s + "]");
      ConfigChecks.checkMetricsSpec(spec, specWhere);
      ConfigChecks.checkModelNames(spec, models, specWhere);
      boolean specWeighted =
          spec.getExampleWeights().getWeighted()
              || (!spec.getExampleWeights().getUnweighted() && anyWeightKey);
      for (ModelPlan model : models) {
        if (specWeighted && model.weightKey() == null) {
          throw new ConfigException(
              specWhere
                  + ": weighted metrics need example_weight_key in"
                  + " every model_specs; "
                  + model.describe()
                  + " has none");
        }
      }
      if (spec.getMetricsCount() > 0) {
        if (weighted != null && weighted != specWeighted) {
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
        for (Binarization binarization : binarizations) {
          checkDistinctKeys(definition, binarization.toString(), keys, metricWhere);
        }
        if (spec.hasAggregate()) {
          checkDistinctKeys(definition, "macro average", keys, metricWhere);
        }
        metrics.add(definition);
        specMetrics.add(definition);
      }
      groups.add(
          new Group(binarizations, specMetrics, spec.hasAggregate() ? spec.getAggregate() : null));
    }
    if (metrics.isEmpty()) {
      throw new ConfigException(
          locations.describe("metrics_specs")
              + ": no metrics configured; add metrics_specs { metrics { class_name: ... } }");
    }
    return new Resolved(metrics, groups, weighted != null && weighted);
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
