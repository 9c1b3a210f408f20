package io.fairbeam.constraint;

import io.fairbeam.constraint.Expression.Base;
import io.fairbeam.constraint.Expression.Constant;
import io.fairbeam.constraint.Expression.Operation;
import io.fairbeam.stats.ClopperPearsonInterval;
import io.fairbeam.stats.Proportion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The Seldonian Engine's safety test of one constraint (seldonian-engine 0.8.11, {@code ttest}
 * bounds): which bounds each base node needs (the root needs an upper bound; {@code sub} swaps the
 * sides of its right operand; {@code mult}, {@code div}, {@code pow} and {@code abs} need both), δ
 * split equally over the distinct base nodes and the sides their first occurrence (leftmost) needs,
 * a one-sided Student-t bound per needed side ({@code mean ± SE · t(1 − δ_side, n − 1)}, not
 * clipped, ±∞ below 5 examples; a side the first occurrence did not need stays ±∞ for every
 * occurrence), the engine's interval arithmetic up the tree, and the verdict: the constraint holds
 * when the upper bound of g is at most 0. One difference: an upper bound that is NaN fails here
 * (the engine would pass it).
 *
 * <p>Weighted examples (Fairbeam's, the engine has none): the mean is weighted, its standard error
 * is the weighted (sandwich) one, {@code √(Σw²(z−m)² / (Σw)² · n/(n−1))}, and the effective size
 * {@code (Σw)² / Σw²} stands for n in the degrees of freedom and the 5-example rule. With equal
 * weights all of this is exactly the engine's.
 */
public final class SafetyTest {
  /** Fewer examples than this give a base node infinite bounds, as in the engine. */
  public static final int MIN_EXAMPLES = 5;

  private SafetyTest() {}

  /**
   * The sums over a base node's population: examples with a positive weight, Σw, Σw², Σwz, Σw²z and
   * Σw²z².
   */
  public record Statistics(
      long n, double sumW, double sumW2, double sumWz, double sumW2z, double sumW2z2) {
    public static final Statistics EMPTY = new Statistics(0, 0, 0, 0, 0, 0);

    public double mean() {
      return n == 0 ? Double.NaN : sumWz / sumW;
    }

    /** Kish's effective sample size; n itself when the weights are equal. */
    public double effectiveN() {
      return n == 0 ? 0 : sumW * sumW / sumW2;
    }

    /** The standard error of the mean; the engine's {@code std(z, ddof=1)/√n} when unweighted. */
    public double standardError() {
      double m = mean();
      double squares = sumW2z2 - 2 * m * sumW2z + m * m * sumW2;
      double variance = Math.max(0, squares) / (sumW * sumW) * n / (n - 1.0);
      return Math.sqrt(variance);
    }
  }

  /** A base node's result: its value, bounds and the δ of each side (0 where not needed). */
  public record NodeBound(
      String name,
      long n,
      double effectiveN,
      double value,
      double lower,
      double upper,
      double deltaLower,
      double deltaUpper) {}

  /**
   * The verdict on one constraint.
   *
   * @param gValue g at the base nodes' values
   * @param gUpperBound the upper bound of g; the constraint holds when it is at most 0
   * @param problem why g has no bound, or null
   */
  public record Result(
      double gValue, double gUpperBound, boolean passed, List<NodeBound> nodes, String problem) {}

  /** Runs the test of g ≤ 0 with {@code delta}, each base node's sums from {@code statistics}. */
  public static Result run(Expression g, double delta, Function<Base, Statistics> statistics) {
    return run(g, delta, false, statistics);
  }

  /**
   * As {@link #run(Expression, double, Function)}; {@code exact} bounds each base node by
   * Clopper-Pearson's one-sided binomial bound instead of Student's t (for measures whose
   * per-example values are 0 or 1; the effective n and mean give the counts).
   */
  public static Result run(
      Expression g, double delta, boolean exact, Function<Base, Statistics> statistics) {
    Map<String, boolean[]> sides = new LinkedHashMap<>();
    Map<String, Base> bases = new LinkedHashMap<>();
    assignSides(g, false, true, sides, bases);
    int k = sides.size();
    Map<String, NodeBound> bounds = new LinkedHashMap<>();
    for (Map.Entry<String, boolean[]> node : sides.entrySet()) {
      boolean both = node.getValue()[0] && node.getValue()[1];
      double share = both ? delta / (2 * k) : delta / k;
      double deltaLower = node.getValue()[0] ? share : 0;
      double deltaUpper = node.getValue()[1] ? share : 0;
      bounds.put(
          node.getKey(),
          exact
              ? exactBound(
                  node.getKey(), statistics.apply(bases.get(node.getKey())), deltaLower, deltaUpper)
              : bound(
                  node.getKey(),
                  statistics.apply(bases.get(node.getKey())),
                  deltaLower,
                  deltaUpper));
    }
    double value = value(g, bounds);
    double upper;
    String problem = null;
    try {
      upper = interval(g, bounds)[1];
    } catch (UndefinedBoundException e) {
      upper = Double.POSITIVE_INFINITY;
      problem = e.getMessage();
    }
    return new Result(value, upper, upper <= 0, List.copyOf(bounds.values()), problem);
  }

  /** The engine's {@code assign_bounds_needed}, keeping the sides of each name's first visit. */
  private static void assignSides(
      Expression node,
      boolean lower,
      boolean upper,
      Map<String, boolean[]> sides,
      Map<String, Base> bases) {
    if (node instanceof Base base) {
      sides.putIfAbsent(base.name(), new boolean[] {lower, upper});
      bases.putIfAbsent(base.name(), base);
      return;
    }
    if (!(node instanceof Operation op)) {
      return;
    }
    switch (op.operator()) {
      case ADD, MIN, MAX, EXP, LOG -> {
        for (Expression a : op.arguments()) {
          assignSides(a, lower, upper, sides, bases);
        }
      }
      case SUB -> {
        assignSides(op.arguments().get(0), lower, upper, sides, bases);
        assignSides(op.arguments().get(1), upper, lower, sides, bases);
      }
      case MULT, DIV, POW, ABS -> {
        for (Expression a : op.arguments()) {
          assignSides(a, true, true, sides, bases);
        }
      }
    }
  }

  /**
   * Clopper-Pearson's one-sided bounds: at 1 − δ on one side, the two-sided interval at 1 − 2δ; ±∞
   * without examples.
   */
  private static NodeBound exactBound(
      String name, Statistics s, double deltaLower, double deltaUpper) {
    double mean = s.mean();
    double effectiveN = s.effectiveN();
    double lower = Double.NEGATIVE_INFINITY;
    double upper = Double.POSITIVE_INFINITY;
    if (effectiveN > 0) {
      Proportion rate = new Proportion(Math.min(1, Math.max(0, mean)), effectiveN);
      if (deltaLower > 0) {
        lower = ClopperPearsonInterval.of(rate, Math.max(1e-12, 1 - 2 * deltaLower)).lower();
      }
      if (deltaUpper > 0) {
        upper = ClopperPearsonInterval.of(rate, Math.max(1e-12, 1 - 2 * deltaUpper)).upper();
      }
    }
    return new NodeBound(name, s.n(), effectiveN, mean, lower, upper, deltaLower, deltaUpper);
  }

  private static NodeBound bound(String name, Statistics s, double deltaLower, double deltaUpper) {
    double mean = s.mean();
    double lower = Double.NEGATIVE_INFINITY;
    double upper = Double.POSITIVE_INFINITY;
    double effectiveN = s.effectiveN();
    if (effectiveN >= MIN_EXAMPLES) {
      double se = s.standardError();
      TDistribution t = new TDistribution(null, effectiveN - 1, 1e-15);
      if (deltaLower > 0) {
        lower = se == 0 ? mean : mean - se * t.inverseCumulativeProbability(1 - deltaLower);
      }
      if (deltaUpper > 0) {
        upper = se == 0 ? mean : mean + se * t.inverseCumulativeProbability(1 - deltaUpper);
      }
    }
    return new NodeBound(name, s.n(), effectiveN, mean, lower, upper, deltaLower, deltaUpper);
  }

  /** g at the base nodes' values, with ordinary arithmetic. */
  static double value(Expression node, Map<String, NodeBound> bounds) {
    if (node instanceof Constant c) {
      return c.value();
    }
    if (node instanceof Base b) {
      return bounds.get(b.name()).value();
    }
    Operation op = (Operation) node;
    double a = value(op.arguments().get(0), bounds);
    double b = op.arguments().size() > 1 ? value(op.arguments().get(1), bounds) : Double.NaN;
    return switch (op.operator()) {
      case ADD -> a + b;
      case SUB -> a - b;
      case MULT -> a * b;
      case DIV -> a / b;
      case POW -> Math.pow(a, b);
      case MIN -> pythonMin(a, b);
      case MAX -> pythonMax(a, b);
      case ABS -> Math.abs(a);
      case EXP -> Math.exp(a);
      case LOG -> Math.log(a);
    };
  }

  /** Thrown where the engine raises: a power whose bound is undefined. */
  private static final class UndefinedBoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UndefinedBoundException(String message) {
      super(message);
    }
  }

  /** The engine's {@code propagate}: [lower, upper] of {@code node}. */
  static double[] interval(Expression node, Map<String, NodeBound> bounds) {
    if (node instanceof Constant c) {
      return new double[] {c.value(), c.value()};
    }
    if (node instanceof Base b) {
      NodeBound bound = bounds.get(b.name());
      return new double[] {bound.lower(), bound.upper()};
    }
    Operation op = (Operation) node;
    List<double[]> args = new ArrayList<>();
    for (Expression a : op.arguments()) {
      args.add(interval(a, bounds));
    }
    double[] a = args.get(0);
    double[] b = args.size() > 1 ? args.get(1) : null;
    return switch (op.operator()) {
      case ADD -> protect(a[0] + b[0], a[1] + b[1]);
      case SUB -> protect(a[0] - b[1], a[1] - b[0]);
      case MULT -> mult(a, b);
      case DIV -> div(a, b);
      case POW -> pow(a, b);
      case MIN -> new double[] {pythonMin(a[0], b[0]), pythonMin(a[1], b[1])};
      case MAX -> new double[] {pythonMax(a[0], b[0]), pythonMax(a[1], b[1])};
      case ABS -> abs(a);
      case EXP -> protect(Math.exp(a[0]), Math.exp(a[1]));
      case LOG -> protect(Math.log(a[0]), Math.log(a[1]));
    };
  }

  /** The engine's {@code _protect_nan}: a NaN lower bound is −∞, a NaN upper bound +∞. */
  private static double[] protect(double lower, double upper) {
    return new double[] {
      Double.isNaN(lower) ? Double.NEGATIVE_INFINITY : lower,
      Double.isNaN(upper) ? Double.POSITIVE_INFINITY : upper
    };
  }

  private static double[] mult(double[] a, double[] b) {
    double[] products = {a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]};
    return protect(pythonMin(products), pythonMax(products));
  }

  private static double[] div(double[] a, double[] b) {
    if (b[0] < 0 && 0 < b[1]) {
      return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    }
    if (b[1] == 0) {
      return mult(a, new double[] {Double.NEGATIVE_INFINITY, 1 / b[0]});
    }
    if (b[0] == 0) {
      return mult(a, new double[] {1 / b[1], Double.POSITIVE_INFINITY});
    }
    return mult(a, new double[] {1 / b[1], 1 / b[0]});
  }

  private static double[] pow(double[] a, double[] b) {
    if (a[0] < 0) {
      throw new UndefinedBoundException(
          "the bound of x ** y is undefined: the interval of x reaches below 0 (" + a[0] + ")");
    }
    if ((a[0] == 0 || a[1] == 0) && (b[0] < 0 || b[1] < 1)) {
      throw new UndefinedBoundException(
          "the bound of x ** y is undefined: the interval of x reaches 0 and y may be below 1");
    }
    double[] powers = {
      Math.pow(a[0], b[0]), Math.pow(a[0], b[1]), Math.pow(a[1], b[0]), Math.pow(a[1], b[1])
    };
    return protect(pythonMin(powers), pythonMax(powers));
  }

  private static double[] abs(double[] a) {
    double lower =
        Math.signum(a[0]) == Math.signum(a[1]) ? pythonMin(Math.abs(a[0]), Math.abs(a[1])) : 0;
    return protect(lower, pythonMax(Math.abs(a[0]), Math.abs(a[1])));
  }

  /** Python's {@code min(a, b)}: a unless b is smaller (so a NaN a stays). */
  static double pythonMin(double... values) {
    double result = values[0];
    for (int i = 1; i < values.length; i++) {
      if (values[i] < result) {
        result = values[i];
      }
    }
    return result;
  }

  /** Python's {@code max(a, b)}: a unless b is larger. */
  static double pythonMax(double... values) {
    double result = values[0];
    for (int i = 1; i < values.length; i++) {
      if (values[i] > result) {
        result = values[i];
      }
    }
    return result;
  }
}
