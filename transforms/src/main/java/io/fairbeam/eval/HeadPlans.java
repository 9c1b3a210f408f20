package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.metrics.Binarization;
import io.fairbeam.metrics.MetricDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the accumulators each slice keeps ({@link Head}s): one per model, or, when metrics specs
 * {@code binarize} a multi-class model, one per model and sub-key, in model order and then in the
 * order the specs name the sub-keys. Checks what a multi-class model cannot do yet.
 */
final class HeadPlans {
  private HeadPlans() {}

  /** The heads, the macro averages, and the models with their {@link ModelPlan#classScores} set. */
  record Resolved(List<Head> heads, List<MacroAverage> macroAverages, List<ModelPlan> models) {}

  /**
   * The heads of {@code models} for the metrics {@code groups}.
   *
   * @throws ConfigException naming the config line when a multi-class model is asked for what
   *     Fairbeam cannot compute
   */
  static Resolved resolve(
      List<ModelPlan> models,
      List<MetricPlans.Group> groups,
      boolean constraints,
      ConfigLocations locations) {
    Map<Binarization, List<MetricDefinition>> bySubKey = new LinkedHashMap<>();
    int classScores = 0;
    for (MetricPlans.Group group : groups) {
      for (MetricDefinition metric : group.metrics()) {
        if (metric.readsClasses()) {
          // Computed from the classes, once per model: TFMA keys it without a sub-key.
          bySubKey.computeIfAbsent(Binarization.NONE, b -> new ArrayList<>()).add(metric);
          classScores = Math.max(classScores, 2);
        }
      }
      for (Binarization binarization : group.binarizations()) {
        List<MetricDefinition> binary = new ArrayList<>();
        group.metrics().stream().filter(m -> !m.readsClasses()).forEach(binary::add);
        if (binary.isEmpty()) {
          continue;
        }
        bySubKey.computeIfAbsent(binarization, b -> new ArrayList<>()).addAll(binary);
        if (!binarization.isNone()) {
          classScores = Math.max(classScores, binarization.classesNeeded());
        }
      }
    }
    for (MetricPlans.Group group : groups) {
      if (group.aggregate() != null) {
        for (int classId : group.aggregate().getClassWeightsMap().keySet()) {
          classScores = Math.max(classScores, classId + 1);
        }
      }
    }
    if (classScores > 0) {
      checkMultiClass(models, groups, constraints, locations);
    }
    List<ModelPlan> resolved = new ArrayList<>();
    List<Head> heads = new ArrayList<>();
    for (ModelPlan m : models) {
      ModelPlan model = m.withClassScores(classScores);
      resolved.add(model);
      for (Map.Entry<Binarization, List<MetricDefinition>> e : bySubKey.entrySet()) {
        heads.add(new Head(heads.size(), model, e.getKey(), e.getValue(), true));
      }
    }
    List<MacroAverage> macroAverages = new ArrayList<>();
    for (ModelPlan model : resolved) {
      for (MetricPlans.Group group : groups) {
        if (group.aggregate() == null) {
          continue;
        }
        List<MetricDefinition> binary = new ArrayList<>();
        group.metrics().stream().filter(m -> !m.readsClasses()).forEach(binary::add);
        Map<Integer, Float> weights = group.aggregate().getClassWeightsMap();
        int[] classes = new int[weights.size()];
        double[] classWeights = new double[weights.size()];
        int[] classHeads = new int[weights.size()];
        int i = 0;
        for (Map.Entry<Integer, Float> w : weights.entrySet()) {
          classes[i] = w.getKey();
          classWeights[i] = w.getValue();
          classHeads[i] = heads.size();
          // Kept for the average only: its per-class values are not written.
          heads.add(new Head(heads.size(), model, Binarization.classId(w.getKey()), binary, false));
          i++;
        }
        macroAverages.add(
            new MacroAverage(
                model,
                group.aggregate().getWeightedMacroAverage(),
                classes,
                classWeights,
                classHeads,
                binary));
      }
    }
    return new Resolved(List.copyOf(heads), List.copyOf(macroAverages), List.copyOf(resolved));
  }

  /**
   * For each head, the head of the baseline model with the same sub-key, whose decisions its
   * decisions are paired with; −1 for the baseline's own heads.
   */
  static int[] pairing(List<Head> heads, ModelPlan baseline) {
    int[] with = new int[heads.size()];
    for (Head head : heads) {
      with[head.index()] = -1;
      if (head.model().index() == baseline.index()) {
        continue;
      }
      for (Head other : heads) {
        if (other.model().index() == baseline.index()
            && other.binarization().equals(head.binarization())) {
          with[head.index()] = other.index();
        }
      }
    }
    return with;
  }

  private static void checkMultiClass(
      List<ModelPlan> models,
      List<MetricPlans.Group> groups,
      boolean constraints,
      ConfigLocations locations) {
    for (ModelPlan model : models) {
      if (model.inference() != null) {
        throw new ConfigException(
            locations.describe("model_specs[" + model.index() + "]")
                + ": binarize and multi-class metrics need one score per class, and Fairbeam reads one score per"
                + " example from a SavedModel (--model) so far; give the per-class scores in a"
                + " prediction_key feature instead");
      }
    }
    for (int s = 0; s < groups.size(); s++) {
      MetricPlans.Group group = groups.get(s);
      if (!group.binarizations().contains(Binarization.NONE)) {
        continue;
      }
      for (MetricDefinition metric : group.metrics()) {
        if (metric.readsLabelsOrPredictions() && !metric.readsClasses()) {
          throw new ConfigException(
              locations.describe("metrics_specs[" + s + "]")
                  + ": "
                  + metric.name()
                  + " takes one score per example, but the model scores each class (a"
                  + " metrics_specs binarizes its scores, or a metric reads its classes); add"
                  + " binarize { class_ids { values: [...] } } to this metrics_specs too");
        }
      }
    }
    if (constraints) {
      throw new ConfigException(
          locations.describe("fairness_constraints")
              + ": fairness constraints on a multi-class model are not supported yet");
    }
  }
}
