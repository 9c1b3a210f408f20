package io.fairbeam.eval;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.constraint.ConstraintParser;
import io.fairbeam.constraint.ConstraintSums;
import io.fairbeam.constraint.ConstraintSyntaxException;
import io.fairbeam.constraint.Expression;
import io.fairbeam.constraint.Expression.Base;
import io.fairbeam.constraint.Expression.Constant;
import io.fairbeam.constraint.Expression.Operation;
import io.fairbeam.constraint.SafetyTest;
import io.fairbeam.proto.BaseNodeResult;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.ConstraintResult;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.FairnessConstraint;
import io.fairbeam.proto.tfma.SlicingSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The config's {@code fairness_constraints} resolved: each constraint's function g, the model it
 * judges, and the distinct populations (model, measure, threshold, groups) whose sums the examples
 * feed ({@link ConstraintSums}); then, from those sums, each constraint's {@link SafetyTest}.
 */
@Internal
public final class FairnessConstraints implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * A population: a base node of some constraint, for one model, and, for a multi-class model, one
   * class against the rest ({@code classId} −1: a binary model).
   */
  public record Population(int model, int classId, Base node, List<SlicingSpec> groups)
      implements Serializable {}

  /** One resolved constraint. */
  record Resolved(
      FairnessConstraint config,
      String modelName,
      Expression g,
      Map<String, Integer> populations,
      int index,
      String where)
      implements Serializable {}

  private final List<Resolved> constraints;
  private final List<Population> populations;

  private FairnessConstraints(List<Resolved> constraints, List<Population> populations) {
    this.constraints = constraints;
    this.populations = populations;
  }

  /**
   * Resolves the constraints of {@code config} for {@code models}.
   *
   * @throws ConfigException naming the config line and, for a syntax error, the position
   */
  static FairnessConstraints of(
      EvalConfig config, ConfigLocations locations, List<ModelPlan> models) {
    List<Resolved> constraints = new ArrayList<>();
    List<Population> populations = new ArrayList<>();
    Map<Population, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < config.getFairnessConstraintsCount(); i++) {
      FairnessConstraint c = config.getFairnessConstraints(i);
      String where = locations.describe("fairness_constraints[" + i + "]");
      if (c.getConstraint().isBlank()) {
        throw new ConfigException(
            where
                + ": constraint is empty; write e.g. constraint: \"min((ACC | [M])/(ACC | [F]),"
                + "(ACC | [F])/(ACC | [M])) >= 0.8\"");
      }
      if (!(c.getDelta() > 0 && c.getDelta() < 1)) {
        throw new ConfigException(
            where + ": delta must lie strictly between 0 and 1 (e.g. 0.05), got " + c.getDelta());
      }
      for (Map.Entry<String, SlicingSpec> group : c.getGroupsMap().entrySet()) {
        checkGroup(group.getKey(), group.getValue(), where);
      }
      Expression g;
      try {
        g = ConstraintParser.parse(c.getConstraint());
      } catch (ConstraintSyntaxException e) {
        throw new ConfigException(
            where
                + ": constraint \""
                + c.getConstraint()
                + "\", at position "
                + (e.position() + 1)
                + ": "
                + e.getMessage());
      }
      ModelPlan model = model(c, models, where);
      int classId = c.hasClassId() ? c.getClassId().getValue() : -1;
      if (c.hasClassId() && classId < 0) {
        throw new ConfigException(where + ": class_id is " + classId + "; class ids are 0 or more");
      }
      Map<String, Integer> ofNode = new LinkedHashMap<>();
      for (Base node : nodes(g)) {
        if (c.getBound() == FairnessConstraint.Bound.CLOPPER_PEARSON && node.threshold() == null) {
          throw new ConfigException(
              where
                  + ": bound CLOPPER_PEARSON needs thresholded measures, whose values are 0 or 1"
                  + " (e.g. "
                  + node.measure().name()
                  + "@0.5); "
                  + node.name()
                  + " has no threshold");
        }
        for (String group : node.groups()) {
          if (!c.getGroupsMap().containsKey(group)) {
            throw new ConfigException(
                where
                    + ": constraint \""
                    + c.getConstraint()
                    + "\" names the group "
                    + group
                    + ", which its groups do not define; defined: "
                    + new TreeSet<>(c.getGroupsMap().keySet()));
          }
        }
        List<SlicingSpec> specs = new ArrayList<>();
        node.groups().forEach(name -> specs.add(c.getGroupsOrThrow(name)));
        Population population = new Population(model.index(), classId, node, List.copyOf(specs));
        Integer at = index.get(population);
        if (at == null) {
          at = populations.size();
          index.put(population, at);
          populations.add(population);
        }
        ofNode.put(node.name(), at);
      }
      constraints.add(new Resolved(c, model.metricModelName(), g, Map.copyOf(ofNode), i, where));
    }
    return new FairnessConstraints(List.copyOf(constraints), List.copyOf(populations));
  }

  private static void checkGroup(String name, SlicingSpec spec, String where) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ConfigException(
          where
              + ": group name \""
              + name
              + "\" must be an identifier (letters, digits, _), as the constraint names it");
    }
    if (spec.getFeatureKeysCount() > 0 || !spec.getSliceKeysSql().isEmpty()) {
      throw new ConfigException(
          where
              + ": group "
              + name
              + " is one slice: give it feature_values { key: ... value: ... }, not"
              + " feature_keys or slice_keys_sql");
    }
  }

  /**
   * The model a constraint judges: as named, else the only model, else the only candidate; of a
   * multi-output model, the output named by {@code output_name}.
   */
  private static ModelPlan model(FairnessConstraint c, List<ModelPlan> models, String where) {
    int spec = -1;
    if (!c.getModelName().isEmpty()) {
      for (ModelPlan m : models) {
        if (m.specName().equals(c.getModelName())) {
          spec = m.specIndex();
        }
      }
      if (spec < 0) {
        throw new ConfigException(
            where
                + ": model_name \""
                + c.getModelName()
                + "\" names no model_specs; names: "
                + models.stream().map(ModelPlan::specName).distinct().toList());
      }
    } else {
      List<String> candidates =
          models.stream().filter(m -> !m.baseline()).map(ModelPlan::specName).distinct().toList();
      if (candidates.size() != 1) {
        throw new ConfigException(
            where
                + ": the config has several candidate models; say which one with model_name: "
                + candidates);
      }
      spec = models.stream().filter(m -> !m.baseline()).findFirst().orElseThrow().specIndex();
    }
    int judged = spec;
    List<ModelPlan> outputs = models.stream().filter(m -> m.specIndex() == judged).toList();
    List<String> names = outputs.stream().map(ModelPlan::outputName).toList();
    if (names.equals(List.of(""))) {
      if (!c.getOutputName().isEmpty()) {
        throw new ConfigException(
            where
                + ": output_name \""
                + c.getOutputName()
                + "\", but the model has one output (no label_keys); leave output_name out");
      }
      return outputs.get(0);
    }
    if (c.getOutputName().isEmpty()) {
      throw new ConfigException(
          where
              + ": the model has several outputs; say which one the constraint judges with"
              + " output_name: "
              + names);
    }
    int at = names.indexOf(c.getOutputName());
    if (at < 0) {
      throw new ConfigException(
          where
              + ": output_name \""
              + c.getOutputName()
              + "\" is not an output of the model (label_keys); outputs: "
              + names);
    }
    return outputs.get(at);
  }

  /** The base nodes of {@code e}, in pre-order. */
  static List<Base> nodes(Expression e) {
    List<Base> out = new ArrayList<>();
    collect(e, out);
    return out;
  }

  private static void collect(Expression e, List<Base> out) {
    if (e instanceof Base b) {
      out.add(b);
    } else if (e instanceof Operation op) {
      op.arguments().forEach(a -> collect(a, out));
    }
  }

  public boolean isEmpty() {
    return constraints.isEmpty();
  }

  /** The populations, in the order of their indices in {@link ConstraintSums}. */
  public List<Population> populations() {
    return populations;
  }

  /**
   * The fewest class scores model {@code model}'s examples need for the classes its constraints
   * judge; 0 when none judges a class.
   */
  int classesNeeded(int model) {
    int needed = 0;
    for (Population p : populations) {
      if (p.model() == model && p.classId() >= 0) {
        needed = Math.max(needed, p.classId() + 1);
      }
    }
    return needed;
  }

  /**
   * Checks that the constraints on model {@code model} fit it: a class each when it scores classes
   * ({@code multiClass}), none when it does not.
   *
   * @throws ConfigException naming the constraint's config line
   */
  void checkClasses(int model, boolean multiClass) {
    for (Resolved c : constraints) {
      boolean judgesModel =
          c.populations().values().stream().anyMatch(p -> populations.get(p).model() == model);
      if (!judgesModel) {
        continue;
      }
      if (multiClass && !c.config().hasClassId()) {
        throw new ConfigException(
            c.where()
                + ": the model scores each class; say which class the constraint judges, one"
                + " against the rest, with class_id");
      }
    }
  }

  /** The features the groups read. */
  List<String> features() {
    List<String> names = new ArrayList<>();
    for (Population p : populations) {
      p.groups().forEach(g -> names.addAll(g.getFeatureValuesMap().keySet()));
    }
    return names;
  }

  /** Each constraint's safety test on the run's {@code sums}, in config order. */
  public ConstraintReport judge(ConstraintSums sums) {
    ConstraintReport.Builder report = ConstraintReport.newBuilder();
    for (Resolved c : constraints) {
      SafetyTest.Result result =
          SafetyTest.run(
              c.g(),
              c.config().getDelta(),
              c.config().getBound() == FairnessConstraint.Bound.CLOPPER_PEARSON,
              node -> sums.statistics(c.populations().get(node.name())));
      ConstraintResult.Builder out =
          ConstraintResult.newBuilder()
              .setName(
                  c.config().getName().isEmpty()
                      ? c.config().getConstraint()
                      : c.config().getName())
              .setConstraint(c.config().getConstraint())
              .setDelta(c.config().getDelta())
              .setModelName(c.modelName())
              .putAllGroups(c.config().getGroupsMap())
              .setG(text(c.g()))
              .setGValue(result.gValue())
              .setGUpperBound(result.gUpperBound())
              .setPassed(result.passed());
      for (SafetyTest.NodeBound node : result.nodes()) {
        out.addBaseNodes(
            BaseNodeResult.newBuilder()
                .setName(node.name())
                .setN(node.n())
                .setEffectiveN(node.effectiveN())
                .setValue(node.value())
                .setLower(node.lower())
                .setUpper(node.upper())
                .setDeltaLower(node.deltaLower())
                .setDeltaUpper(node.deltaUpper()));
      }
      if (c.config().hasClassId()) {
        out.setClassId(c.config().getClassId());
      }
      out.setOutputName(c.config().getOutputName());
      out.setMessage(message(out, result));
      report.addConstraints(out);
    }
    return report.build();
  }

  private static String message(ConstraintResult.Builder c, SafetyTest.Result result) {
    String level = num(100 * (1 - c.getDelta())) + "%";
    String head =
        "fairness constraint '"
            + c.getName()
            + "' "
            + (c.getOutputName().isEmpty() ? "" : "on output '" + c.getOutputName() + "' ")
            + (c.hasClassId() ? "for class " + c.getClassId().getValue() + " " : "")
            + (c.getPassed() ? "holds" : "is not shown to hold")
            + " with "
            + level
            + " confidence: the upper bound of g = "
            + c.getG()
            + " is "
            + num(c.getGUpperBound())
            + (c.getPassed() ? " <= 0" : Double.isNaN(c.getGUpperBound()) ? " (undefined)" : " > 0")
            + " (g's value "
            + num(c.getGValue())
            + ")";
    List<String> small = new ArrayList<>();
    for (BaseNodeResult node : c.getBaseNodesList()) {
      if (node.getEffectiveN() < SafetyTest.MIN_EXAMPLES) {
        small.add(node.getName() + " has " + node.getN() + " examples");
      }
    }
    if (!small.isEmpty()) {
      head +=
          "; fewer than "
              + SafetyTest.MIN_EXAMPLES
              + " examples give infinite bounds: "
              + String.join(", ", small);
    }
    if (result.problem() != null) {
      head += "; " + result.problem();
    }
    return head;
  }

  static String num(double v) {
    return io.fairbeam.gate.MetricsValidator.num(v);
  }

  /** g as Fairbeam read it, each operation inside another in parentheses. */
  static String text(Expression e) {
    return text(e, true);
  }

  private static String text(Expression e, boolean outermost) {
    if (e instanceof Constant c) {
      return c.value() == Math.E ? "e" : num(c.value());
    }
    if (e instanceof Base b) {
      return b.groups().isEmpty() ? b.name() : "(" + b.name() + ")";
    }
    Operation op = (Operation) e;
    String symbol =
        switch (op.operator()) {
          case ADD -> " + ";
          case SUB -> " - ";
          case MULT -> " * ";
          case DIV -> " / ";
          case POW -> " ** ";
          default -> null;
        };
    if (symbol == null) {
      return op.operator().name().toLowerCase(Locale.ROOT)
          + "("
          + String.join(", ", op.arguments().stream().map(a -> text(a, true)).toList())
          + ")";
    }
    String s = text(op.arguments().get(0), false) + symbol + text(op.arguments().get(1), false);
    return outermost ? s : "(" + s + ")";
  }
}
