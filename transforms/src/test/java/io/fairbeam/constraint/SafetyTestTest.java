package io.fairbeam.constraint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.constraint.Expression.Base;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.Test;

/**
 * The safety test's bounds, each against a value computed by hand from the samples themselves
 * (two-pass mean and standard deviation); compat/seldonian/ compares the same code with the
 * Seldonian Engine itself.
 */
public class SafetyTestTest {
  private static final Random RANDOM = new Random(42);

  private static double[] samples(int n, double center) {
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = Math.min(1, Math.max(0, center + 0.2 * RANDOM.nextGaussian()));
    }
    return z;
  }

  private static SafetyTest.Statistics statistics(double[] z, double[] w) {
    ConstraintSums sums = new ConstraintSums();
    for (int i = 0; i < z.length; i++) {
      sums.add(0, w == null ? 1 : w[i], z[i]);
    }
    return sums.statistics(0);
  }

  private static Function<Base, SafetyTest.Statistics> data(Map<String, double[]> byName) {
    return node -> statistics(byName.get(node.name()), null);
  }

  /** The engine's one-sided bound, by hand: mean ± std(ddof 1)/√n · t(1 − δ, n − 1). */
  private static double bound(double[] z, double delta, boolean upper) {
    double mean = 0;
    for (double v : z) {
      mean += v;
    }
    mean /= z.length;
    double squares = 0;
    for (double v : z) {
      squares += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(squares / (z.length - 1));
    double t = new TDistribution(z.length - 1).inverseCumulativeProbability(1 - delta);
    return mean + (upper ? 1 : -1) * sd / Math.sqrt(z.length) * t;
  }

  @Test
  public void theSeedRatioConstraintSplitsDeltaFourWays() {
    double[] m = samples(300, 0.75);
    double[] f = samples(120, 0.7);
    Expression g =
        ConstraintParser.parse("min((ACC | [M])/(ACC | [F]),(ACC | [F])/(ACC | [M])) >= 0.8");
    SafetyTest.Result r = SafetyTest.run(g, 0.05, data(Map.of("ACC | [M]", m, "ACC | [F]", f)));
    double lm = bound(m, 0.0125, false);
    double um = bound(m, 0.0125, true);
    double lf = bound(f, 0.0125, false);
    double uf = bound(f, 0.0125, true);
    assertEquals(0.8 - Math.min(lm / uf, lf / um), r.gUpperBound(), 1e-12);
    assertEquals(0.0125, r.nodes().get(0).deltaLower(), 0);
    assertEquals(0.0125, r.nodes().get(1).deltaUpper(), 0);
    assertEquals(lm, r.nodes().get(0).lower(), 1e-12);
    assertEquals(r.gUpperBound() <= 0, r.passed());
  }

  @Test
  public void aOneSidedNeedGetsTheWholeDeltaOfItsNode() {
    double[] all = samples(50, 0.8);
    SafetyTest.Result r =
        SafetyTest.run(ConstraintParser.parse("ACC >= 0.6"), 0.05, data(Map.of("ACC", all)));
    // g = 0.6 - ACC needs ACC's lower bound only, with all of delta.
    assertEquals(0.05, r.nodes().get(0).deltaLower(), 0);
    assertEquals(0, r.nodes().get(0).deltaUpper(), 0);
    assertEquals(Double.POSITIVE_INFINITY, r.nodes().get(0).upper(), 0);
    assertEquals(0.6 - bound(all, 0.05, false), r.gUpperBound(), 1e-12);
    assertTrue(r.passed());
  }

  @Test
  public void clopperPearsonBoundsHoldWhereTheTBoundCollapses() {
    // Ten of ten right at 0.5: every per-example value is 1, so the t bound is the mean itself
    // and "ACC@0.5 >= 0.8" passes on ten examples; the exact bound, 0.05^(1/10) = 0.741, does not.
    double[] allRight = new double[10];
    java.util.Arrays.fill(allRight, 1);
    Expression g = ConstraintParser.parse("ACC@0.5 >= 0.8");
    SafetyTest.Result t = SafetyTest.run(g, 0.05, data(Map.of("ACC@0.5", allRight)));
    assertEquals(1, t.nodes().get(0).lower(), 0);
    assertTrue(t.passed());
    SafetyTest.Result exact = SafetyTest.run(g, 0.05, true, data(Map.of("ACC@0.5", allRight)));
    assertEquals(Math.pow(0.05, 0.1), exact.nodes().get(0).lower(), 1e-9);
    assertEquals(0.8 - Math.pow(0.05, 0.1), exact.gUpperBound(), 1e-9);
    assertFalse(exact.passed());
    // 3 of 10 needing an upper bound: the Beta(4, 7) quantile at 0.95, 0.6066 (scipy).
    double[] three = new double[10];
    three[0] = three[1] = three[2] = 1;
    SafetyTest.Result upper =
        SafetyTest.run(
            ConstraintParser.parse("ACC@0.5 <= 0.7"), 0.05, true, data(Map.of("ACC@0.5", three)));
    assertEquals(0.60662, upper.nodes().get(0).upper(), 1e-5);
  }

  @Test
  public void fewerThanFiveExamplesGiveInfiniteBoundsAndFail() {
    SafetyTest.Result r =
        SafetyTest.run(
            ConstraintParser.parse("(PR | [Q]) <= 0.9"),
            0.05,
            data(Map.of("PR | [Q]", new double[] {0.1, 0.2, 0.1, 0.3})));
    assertEquals(Double.POSITIVE_INFINITY, r.gUpperBound(), 0);
    assertFalse(r.passed());
    assertEquals(0.175, r.gValue() + 0.9, 1e-12);
  }

  @Test
  public void aDenominatorThatMayBeZeroHasNoBound() {
    double[] rare = new double[100];
    rare[3] = 1;
    double[] common = samples(100, 0.5);
    SafetyTest.Result r =
        SafetyTest.run(
            ConstraintParser.parse("(PR | [A]) / (PR | [B]) <= 40"),
            0.05,
            data(Map.of("PR | [A]", common, "PR | [B]", rare)));
    assertTrue(r.nodes().get(1).lower() < 0);
    assertEquals(Double.POSITIVE_INFINITY, r.gUpperBound(), 0);
  }

  @Test
  public void aRepeatedNodeKeepsTheSidesOfItsFirstOccurrence() {
    double[] a = samples(200, 0.5);
    double[] b = samples(200, 0.45);
    Map<String, double[]> data = Map.of("PR | [A]", a, "PR | [B]", b);
    // max(A - B, B - A): the second A needs a lower bound its first occurrence did not: +-inf.
    SafetyTest.Result quirk =
        SafetyTest.run(
            ConstraintParser.parse("max((PR|[A]) - (PR|[B]), (PR|[B]) - (PR|[A])) <= 0.5"),
            0.05,
            data(data));
    assertEquals(Double.POSITIVE_INFINITY, quirk.gUpperBound(), 0);
    // abs(A - B): both sides of both nodes at their first occurrence, so it has a bound.
    SafetyTest.Result abs =
        SafetyTest.run(ConstraintParser.parse("abs((PR|[A]) - (PR|[B])) <= 0.5"), 0.05, data(data));
    double la = bound(a, 0.0125, false);
    double ua = bound(a, 0.0125, true);
    double lb = bound(b, 0.0125, false);
    double ub = bound(b, 0.0125, true);
    assertEquals(Math.max(Math.abs(la - ub), Math.abs(ua - lb)) - 0.5, abs.gUpperBound(), 1e-12);
  }

  @Test
  public void equalWeightsGiveTheEnginesUnweightedBounds() {
    double[] z = samples(80, 0.6);
    double[] w = new double[z.length];
    java.util.Arrays.fill(w, 3.7);
    SafetyTest.Statistics weighted = statistics(z, w);
    SafetyTest.Statistics plain = statistics(z, null);
    assertEquals(plain.effectiveN(), weighted.effectiveN(), 1e-9);
    assertEquals(plain.mean(), weighted.mean(), 1e-15);
    assertEquals(plain.standardError(), weighted.standardError(), 1e-15);
  }

  @Test
  public void unequalWeightsUseTheSandwichErrorAndTheEffectiveSize() {
    double[] z = samples(60, 0.6);
    double[] w = new double[z.length];
    double sw = 0;
    double sw2 = 0;
    double swz = 0;
    for (int i = 0; i < z.length; i++) {
      w[i] = 1 + (i % 5);
      sw += w[i];
      sw2 += w[i] * w[i];
      swz += w[i] * z[i];
    }
    double mean = swz / sw;
    double squares = 0;
    for (int i = 0; i < z.length; i++) {
      squares += w[i] * w[i] * (z[i] - mean) * (z[i] - mean);
    }
    double se = Math.sqrt(squares / (sw * sw) * z.length / (z.length - 1.0));
    SafetyTest.Statistics s = statistics(z, w);
    assertEquals(mean, s.mean(), 1e-14);
    assertEquals(sw * sw / sw2, s.effectiveN(), 1e-9);
    assertEquals(se, s.standardError(), 1e-14);
    Map<String, SafetyTest.Statistics> byName = new HashMap<>();
    byName.put("ACC", s);
    SafetyTest.Result r =
        SafetyTest.run(ConstraintParser.parse("ACC >= 0.5"), 0.1, n -> byName.get(n.name()));
    double t = new TDistribution(sw * sw / sw2 - 1).inverseCumulativeProbability(0.9);
    assertEquals(0.5 - (mean - se * t), r.gUpperBound(), 1e-12);
  }

  @Test
  public void theEnginesIntervalArithmetic() {
    Map<String, SafetyTest.NodeBound> bounds = new HashMap<>();
    bounds.put("A", new SafetyTest.NodeBound("A", 10, 10, 0.5, -0.2, 0.3, 0, 0));
    bounds.put("B", new SafetyTest.NodeBound("B", 10, 10, 0.5, 0.0, 0.0, 0, 0));
    java.util.function.BiFunction<String, Map<String, SafetyTest.NodeBound>, double[]> of =
        (text, b) -> SafetyTest.interval(rename(ConstraintParser.parse(text)), b);
    assertEquals(0, of.apply("abs(PR)", bounds)[0], 0); // signs differ: lower 0
    assertEquals(0.3, of.apply("abs(PR)", bounds)[1], 0);
    // [x] / [0, 0]: x * [-inf, 1/0] = x * [-inf, inf].
    double[] byZero = of.apply("PR / NR", bounds);
    assertEquals(Double.NEGATIVE_INFINITY, byZero[0], 0);
    assertEquals(Double.POSITIVE_INFINITY, byZero[1], 0);
    // log of a negative lower bound is NaN, taken as -inf.
    assertEquals(Double.NEGATIVE_INFINITY, of.apply("log(PR)", bounds)[0], 0);
  }

  /** PR stands for node A and NR for node B in {@link #theEnginesIntervalArithmetic}. */
  private static Expression rename(Expression e) {
    if (e instanceof Base b) {
      return new Base(b.measure() == Measure.PR ? "A" : "B", b.measure(), null, b.groups());
    }
    if (e instanceof Expression.Operation op) {
      return new Expression.Operation(
          op.operator(), op.arguments().stream().map(SafetyTestTest::rename).toList());
    }
    return e;
  }
}
