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
 * Resolves the accumulators each slice keeps ({@link Head}s): one per model (a multi-output model's
 * outputs are models of their own), or, when metrics specs binarize a multi-class model ({@code
 * binarize}, a micro average, a metric's own {@code top_k}), one per model, output its keys carry
 * and binarization, in model order and then in the order the specs name them; and the macro and
 * output averages over heads. Checks what a multi-class or multi-output model cannot do yet.
 */
final class HeadPlans {
  private HeadPlans() {}

  /**
   * The heads, the macro and output averages, and the models with their {@link
   * ModelPlan#classScores} set.
   */
  record Resolved(List<Head> heads, List<MacroAverage> macroAverages, List<ModelPlan> models) {}

  /**
   * The heads of {@code models} for the metrics {@code groups}; {@code constraints} may judge a
   * class, which makes its model score each class.
   *
   * @throws ConfigException naming the config line when a multi-class or multi-output model is
   *     asked for what Fairbeam cannot compute
   */
  static Resolved resolve(
      List<ModelPlan> models,
      List<MetricPlans.Group> groups,
      FairnessConstraints constraints,
      ConfigLocations locations) {
    checkOutputs(models, groups);
    List<ModelPlan> resolved = new ArrayList<>();
    List<Head> heads = new ArrayList<>();
    List<MacroAverage> macroAverages = new ArrayList<>();
    // Each output's written heads, by the output its keys carry and its binarization.
    Map<ModelPlan, Map<HeadKey, Integer>> written = new LinkedHashMap<>();
    for (ModelPlan m : models) {
      List<MetricPlans.Group> mine = new ArrayList<>();
      List<String> keyOutputs = new ArrayList<>();
      for (MetricPlans.Group group : groups) {
        String keyOutput = keyOutput(m, group, models);
        if (keyOutput != null) {
          mine.add(group);
          keyOutputs.add(keyOutput);
        }
      }
      Map<HeadKey, List<MetricDefinition>> byKey = new LinkedHashMap<>();
      int classScores = 0;
      for (int g = 0; g < mine.size(); g++) {
        MetricPlans.Group group = mine.get(g);
        String output = keyOutputs.get(g);
        for (MetricDefinition metric : group.metrics()) {
          if (metric.readsClasses() && metric.keyedByModel()) {
            // Computed from the classes, once per model: TFMA keys it without a sub-key.
            byKey
                .computeIfAbsent(new HeadKey(output, Binarization.NONE), k -> new ArrayList<>())
                .add(metric);
            classScores = Math.max(classScores, 2);
          }
        }
        for (Binarization binarization : group.binarizations()) {
          List<MetricDefinition> binary = new ArrayList<>();
          binaryMetrics(group).stream()
              .map(metric -> binarization.topKSubKey() ? metric.underTopK() : metric)
              .forEach(binary::add);
          if (binary.isEmpty()) {
            continue;
          }
          byKey
              .computeIfAbsent(new HeadKey(output, binarization), k -> new ArrayList<>())
              .addAll(binary);
          if (!binarization.isNone()) {
            classScores = Math.max(classScores, binarization.classesNeeded());
          }
        }
        if (group.aggregate() != null) {
          for (int classId : group.aggregate().getClassWeightsMap().keySet()) {
            classScores = Math.max(classScores, classId + 1);
          }
          for (int k : group.aggregate().getTopKList().getValuesList()) {
            classScores = Math.max(classScores, k);
          }
        }
      }
      classScores = Math.max(classScores, constraints.classesNeeded(m.index()));
      if (m.index() == 0) {
        // Metrics keyed by name alone (TFMA's Mean) are computed once, on the first model.
        for (MetricPlans.Group group : groups) {
          group.metrics().stream()
              .filter(metric -> !metric.keyedByModel())
              .forEach(
                  metric ->
                      byKey
                          .computeIfAbsent(
                              new HeadKey("", Binarization.NONE), k -> new ArrayList<>())
                          .add(metric));
        }
      }
      if (classScores > 0) {
        checkMultiClass(m, mine, locations);
      }
      checkPredictedScores(m, classScores, locations);
      constraints.checkClasses(m.index(), classScores > 0);
      ModelPlan model = m.withClassScores(classScores);
      resolved.add(model);
      Map<HeadKey, Integer> indexes = new LinkedHashMap<>();
      for (Map.Entry<HeadKey, List<MetricDefinition>> e : byKey.entrySet()) {
        indexes.put(e.getKey(), heads.size());
        heads.add(
            new Head(
                heads.size(),
                model,
                e.getKey().output(),
                e.getKey().binarization(),
                e.getValue(),
                true));
      }
      written.put(model, indexes);
      for (int g = 0; g < mine.size(); g++) {
        if (mine.get(g).aggregate() != null) {
          macroAverages.addAll(macroAverages(model, keyOutputs.get(g), mine.get(g), heads));
        }
      }
    }
    for (MetricPlans.Group group : groups) {
      if (!group.outputWeights().isEmpty()) {
        macroAverages.addAll(outputAverages(group, written));
      }
    }
    checkClassNames(resolved, locations);
    return new Resolved(List.copyOf(heads), List.copyOf(macroAverages), List.copyOf(resolved));
  }

  /**
   * Checks that a spec with {@code class_names} has an output whose classes are read (the names
   * serve all the outputs of a multi-output model).
   */
  private static void checkClassNames(List<ModelPlan> models, ConfigLocations locations) {
    for (ModelPlan m : models) {
      boolean read =
          models.stream().anyMatch(o -> o.specIndex() == m.specIndex() && o.multiClass());
      if (!m.classNames().isEmpty() && !read) {
        throw new ConfigException(
            locations.describe("model_specs[" + m.specIndex() + "]")
                + ": class_names names the classes of a model that scores each class, but no"
                + " metrics_specs binarizes this model's scores or reads its classes");
      }
    }
  }

  /**
   * The metrics of {@code group} a binarized head computes: not those read from the classes, nor
   * those keyed by name alone (both computed once per model, or once).
   */
  private static List<MetricDefinition> binaryMetrics(MetricPlans.Group group) {
    return group.metrics().stream().filter(m -> !m.readsClasses() && m.keyedByModel()).toList();
  }

  /** A written head's place: the output its keys carry ("" for none) and its binarization. */
  private record HeadKey(String output, Binarization binarization) {}

  /**
   * The output {@code model}'s keys carry for {@code group}'s metrics, or null when the group does
   * not measure it: each output the spec names; without output names, the model's only output, or a
   * multi-output model as a whole (its first output's examples, keyed without an output: counts
   * only, {@link #checkOutputs}).
   */
  private static String keyOutput(
      ModelPlan model, MetricPlans.Group group, List<ModelPlan> models) {
    if (!group.outputNames().isEmpty()) {
      return group.outputNames().contains(model.outputName()) ? model.outputName() : null;
    }
    if (model.outputName().isEmpty()) {
      return "";
    }
    boolean first =
        models.stream()
            .filter(other -> other.specIndex() == model.specIndex())
            .findFirst()
            .orElseThrow()
            .equals(model);
    return first ? "" : null;
  }

  /**
   * Checks that the specs' outputs fit the models: every output a spec names is an output of each
   * model (TFMA reads the label from the output's key), and a spec without output names measures a
   * multi-output model only with counts, which read no label.
   */
  private static void checkOutputs(List<ModelPlan> models, List<MetricPlans.Group> groups) {
    Map<Integer, List<String>> outputsBySpec = new LinkedHashMap<>();
    for (ModelPlan model : models) {
      outputsBySpec
          .computeIfAbsent(model.specIndex(), i -> new ArrayList<>())
          .add(model.outputName());
    }
    boolean multiOutput = models.stream().anyMatch(m -> !m.outputName().isEmpty());
    for (MetricPlans.Group group : groups) {
      for (List<String> outputs : outputsBySpec.values()) {
        for (String name : group.outputNames()) {
          if (!outputs.contains(name)) {
            throw new ConfigException(
                group.where()
                    + ": output_names names \""
                    + name
                    + "\", which is not an output of every model (label_keys); outputs: "
                    + (outputs.equals(List.of("")) ? "none" : outputs));
          }
        }
      }
      if (multiOutput && group.outputNames().isEmpty()) {
        for (MetricDefinition metric : group.metrics()) {
          if (metric.readsLabelsOrPredictions()) {
            throw new ConfigException(
                group.where()
                    + ": "
                    + metric.name()
                    + " reads labels and predictions, which a multi-output model has one of per"
                    + " output; name the outputs in output_names");
          }
        }
      }
    }
  }

  /** The macro averages of {@code group} for {@code model}, each over unwritten heads. */
  private static List<MacroAverage> macroAverages(
      ModelPlan model, String output, MetricPlans.Group group, List<Head> heads) {
    List<MacroAverage> averages = new ArrayList<>();
    List<MetricDefinition> binary = binaryMetrics(group);
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
      averages.add(
          macroAverage(
              model,
              output,
              aggregate.getWeightedMacroAverage(),
              null,
              classes,
              classWeights,
              binary,
              heads));
    }
    for (int topK : aggregate.getTopKList().getValuesList()) {
      // Over the k-th highest-scoring class for each k up to top k, each weighing 1 (TFMA weighs
      // a k by the labels of no class, so the weighted macro average is this too).
      List<Binarization> ranks = new ArrayList<>();
      double[] ones = new double[topK];
      for (int k = 1; k <= topK; k++) {
        ranks.add(Binarization.k(k));
        ones[k - 1] = 1.0;
      }
      SubKey subKey = SubKey.newBuilder().setTopK(Int32Value.of(topK)).build();
      averages.add(macroAverage(model, output, false, subKey, ranks, ones, binary, heads));
    }
    return averages;
  }

  /**
   * {@code group}'s output averages, one per model and binarization: its metrics' values on each
   * output it weighs, averaged with {@code output_weights} as TFMA's {@code output_average}, and
   * keyed without an output.
   */
  private static List<MacroAverage> outputAverages(
      MetricPlans.Group group, Map<ModelPlan, Map<HeadKey, Integer>> written) {
    List<MacroAverage> averages = new ArrayList<>();
    List<MetricDefinition> binary = binaryMetrics(group);
    Map<Integer, List<ModelPlan>> bySpec = new LinkedHashMap<>();
    written
        .keySet()
        .forEach(m -> bySpec.computeIfAbsent(m.specIndex(), i -> new ArrayList<>()).add(m));
    for (List<ModelPlan> outputs : bySpec.values()) {
      for (Binarization binarization : group.binarizations()) {
        List<Integer> heads = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (ModelPlan output : outputs) {
          Float weight = group.outputWeights().get(output.outputName());
          Integer head = written.get(output).get(new HeadKey(output.outputName(), binarization));
          if (weight != null && head != null) {
            heads.add(head);
            weights.add((double) weight);
          }
        }
        if (heads.isEmpty()) {
          continue;
        }
        averages.add(
            new MacroAverage(
                outputs.get(0),
                false,
                binarization.subKey(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(),
                heads.stream().mapToInt(Integer::intValue).toArray(),
                binary,
                true));
      }
    }
    return averages;
  }

  /**
   * A macro average of {@code model}'s {@code metrics} over {@code parts} (classes or ranks), each
   * computed on a head of its own that is added to {@code heads} and not written.
   */
  private static MacroAverage macroAverage(
      ModelPlan model,
      String output,
      boolean byLabels,
      SubKey subKey,
      List<Binarization> parts,
      double[] weights,
      List<MetricDefinition> metrics,
      List<Head> heads) {
    int[] partHeads = new int[parts.size()];
    for (int i = 0; i < partHeads.length; i++) {
      partHeads[i] = heads.size();
      heads.add(new Head(heads.size(), model, output, parts.get(i), metrics, false));
    }
    return new MacroAverage(model, byLabels, subKey, weights, partHeads, metrics, false);
  }

  /**
   * For each head, the head of the baseline model with the same output and sub-key, whose decisions
   * its decisions are paired with; −1 for the baseline's own heads.
   */
  static int[] pairing(List<Head> heads) {
    int[] with = new int[heads.size()];
    for (Head head : heads) {
      with[head.index()] = -1;
      if (head.model().baseline() || head.binarization().pooled()) {
        // A pooled head's examples are several per record: its decisions pair with none.
        continue;
      }
      for (Head other : heads) {
        if (other.model().baseline()
            && other.outputName().equals(head.outputName())
            && other.binarization().equals(head.binarization())) {
          with[head.index()] = other.index();
        }
      }
    }
    return with;
  }

  /**
   * Checks that a SavedModel's output gives {@code model} the scores its metrics read: one per
   * example, or at least {@code classScores} per class.
   */
  private static void checkPredictedScores(
      ModelPlan model, int classScores, ConfigLocations locations) {
    if (model.inference() == null) {
      return;
    }
    int given = model.inference().scoresPerExample();
    String output =
        locations.describe("model_specs[" + model.specIndex() + "]")
            + ": "
            + model.describe()
            + " reads output '"
            + model.inference().output().key()
            + "' ("
            + model.inference().output().describe()
            + ") of "
            + model.inference().directory();
    if (classScores == 0 && given > 1) {
      throw new ConfigException(
          output
              + ", "
              + given
              + " scores per example, but no metrics_specs binarizes its classes or reads them;"
              + " add binarize { class_ids { values: [...] } } to a metrics_specs, or choose an"
              + " output with one score per example (prediction_key)");
    }
    if (classScores > 0 && given < classScores) {
      throw new ConfigException(
          output
              + ", "
              + (given == 1 ? "one score" : given + " scores")
              + " per example, but the metrics read "
              + classScores
              + " classes (binarize, top k or a class id); a multi-class model's output is"
              + " [batch, classes]");
    }
  }

  /**
   * Checks what a multi-class {@code model} cannot do: take a one-score metric in a spec that does
   * not binarize ({@code mine}: the specs measuring it).
   */
  private static void checkMultiClass(
      ModelPlan model, List<MetricPlans.Group> mine, ConfigLocations locations) {
    for (MetricPlans.Group group : mine) {
      if (!group.binarizations().contains(Binarization.NONE)) {
        continue;
      }
      for (MetricDefinition metric : group.metrics()) {
        if (metric.readsLabelsOrPredictions() && !metric.readsClasses()) {
          throw new ConfigException(
              group.where()
                  + ": "
                  + metric.name()
                  + " takes one score per example, but the model scores each class (a"
                  + " metrics_specs binarizes its scores, a metric reads its classes, or a"
                  + " fairness constraint judges one); add binarize { class_ids { values: [...] } }"
                  + " to this metrics_specs too");
        }
      }
    }
  }
}
