package io.fairbeam.eval;

import com.google.protobuf.Int32Value;
import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.metrics.Binarization;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.proto.tfma.AggregationOptions;
import io.fairbeam.proto.tfma.SubKey;
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
        group.metrics().stream()
            .filter(m -> !m.readsClasses())
            .map(m -> binarization.topKSubKey() ? m.underTopK() : m)
            .forEach(binary::add);
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
        for (int k : group.aggregate().getTopKList().getValuesList()) {
          classScores = Math.max(classScores, k);
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
        AggregationOptions aggregate = group.aggregate();
        if (aggregate.getTopKList().getValuesCount() == 0) {
          // Over the classes of class_weights, each one against the rest.
          Map<Integer, Float> weights = aggregate.getClassWeightsMap();
          List<Binarization> classes = new ArrayList<>();
          double[] classWeights = new double[weights.size()];
          for (Map.Entry<Integer, Float> w : weights.entrySet()) {
            classWeights[classes.size()] = w.getValue();
            classes.add(Binarization.classId(w.getKey()));
          }
          macroAverages.add(
              macroAverage(
                  model,
                  aggregate.getWeightedMacroAverage(),
                  null,
                  classes,
                  classWeights,
                  binary,
                  heads));
        }
        for (int topK : aggregate.getTopKList().getValuesList()) {
          // Over the k-th highest-scoring class for each k up to top k, each weighing 1 (TFMA
          // weighs a k by the labels of no class, so the weighted macro average is this too).
          List<Binarization> ranks = new ArrayList<>();
          double[] ones = new double[topK];
          for (int k = 1; k <= topK; k++) {
            ranks.add(Binarization.k(k));
            ones[k - 1] = 1.0;
          }
          SubKey subKey = SubKey.newBuilder().setTopK(Int32Value.of(topK)).build();
          macroAverages.add(macroAverage(model, false, subKey, ranks, ones, binary, heads));
        }
      }
    }
    return new Resolved(List.copyOf(heads), List.copyOf(macroAverages), List.copyOf(resolved));
  }

  /**
   * A macro average of {@code model}'s {@code metrics} over {@code parts} (classes or ranks), each
   * computed on a head of its own that is added to {@code heads} and not written.
   */
  private static MacroAverage macroAverage(
      ModelPlan model,
      boolean byLabels,
      SubKey subKey,
      List<Binarization> parts,
      double[] weights,
      List<MetricDefinition> metrics,
      List<Head> heads) {
    int[] partHeads = new int[parts.size()];
    for (int i = 0; i < partHeads.length; i++) {
      partHeads[i] = heads.size();
      heads.add(new Head(heads.size(), model, parts.get(i), metrics, false));
    }
    return new MacroAverage(model, byLabels, subKey, weights, partHeads, metrics);
  }

  /**
   * For each head, the head of the baseline model with the same sub-key, whose decisions its
   * decisions are paired with; −1 for the baseline's own heads.
   */
  static int[] pairing(List<Head> heads, ModelPlan baseline) {
    int[] with = new int[heads.size()];
    for (Head head : heads) {
      with[head.index()] = -1;
      if (head.model().index() == baseline.index() || head.binarization().pooled()) {
        // A pooled head's examples are several per record: its decisions pair with none.
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
