package io.fairbeam.constraint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.fairbeam.constraint.Expression.Base;
import io.fairbeam.constraint.Expression.Constant;
import io.fairbeam.constraint.Expression.Operation;
import io.fairbeam.constraint.Expression.Operator;
import java.util.List;
import org.junit.Test;

/** The Seldonian Engine's constraint language, as {@link ConstraintParser} reads it. */
public class ConstraintParserTest {
  private static Operation op(Expression e) {
    return (Operation) e;
  }

  @Test
  public void greaterOrEqualBecomesRightMinusLeft() {
    Expression g =
        ConstraintParser.parse("min((ACC | [M])/(ACC | [F]),(ACC | [F])/(ACC | [M])) >= 0.8");
    Operation sub = op(g);
    assertEquals(Operator.SUB, sub.operator());
    assertEquals(new Constant(0.8), sub.arguments().get(0));
    Operation min = op(sub.arguments().get(1));
    assertEquals(Operator.MIN, min.operator());
    Operation div = op(min.arguments().get(0));
    assertEquals(Operator.DIV, div.operator());
    Base m = (Base) div.arguments().get(0);
    assertEquals("ACC | [M]", m.name());
    assertEquals(Measure.ACC, m.measure());
    assertEquals(List.of("M"), m.groups());
  }

  @Test
  public void lessOrEqualBecomesLeftMinusRightAndZeroIsDropped() {
    Operation g = op(ConstraintParser.parse("abs((FPR|[A]) - (FPR | [B])) <= 0.1"));
    assertEquals(Operator.SUB, g.operator());
    assertEquals(Operator.ABS, op(g.arguments().get(0)).operator());
    assertEquals(new Constant(0.1), g.arguments().get(1));
    Expression alone = ConstraintParser.parse("(TPR | [A]) - 0.9 <= 0");
    assertEquals(Operator.SUB, op(alone).operator());
    assertEquals(new Constant(0.9), op(alone).arguments().get(1));
    assertEquals(Operator.SUB, op(ConstraintParser.parse("0 >= PR - 0.5")).operator());
  }

  @Test
  public void pythonPrecedenceAndUnaryMinus() {
    // 1 + 2 * 3 ** 2: pow binds tighter than mult, mult than add.
    Operation add = op(ConstraintParser.parse("1 + 2 * 3 ** 2"));
    assertEquals(Operator.ADD, add.operator());
    Operation mult = op(add.arguments().get(1));
    assertEquals(Operator.MULT, mult.operator());
    assertEquals(Operator.POW, op(mult.arguments().get(1)).operator());
    // A negative literal is a constant; -x of anything else is -1 * x; -2**2 is -(2**2).
    assertEquals(new Constant(-0.5), op(ConstraintParser.parse("PR - -0.5")).arguments().get(1));
    Operation neg = op(ConstraintParser.parse("-PR"));
    assertEquals(Operator.MULT, neg.operator());
    assertEquals(new Constant(-1), neg.arguments().get(0));
    assertEquals(Operator.MULT, op(ConstraintParser.parse("-2**2")).operator());
    assertEquals(new Constant(Math.E), ConstraintParser.parse("e"));
  }

  @Test
  public void intersectionsAndThresholdsAreNamedAsTheEngineNamesThem() {
    Operation g = op(ConstraintParser.parse("(ACC@0.5 | [F,First]) - (FNR|[ F , Third ])"));
    Base first = (Base) g.arguments().get(0);
    assertEquals("ACC@0.5 | [F,First]", first.name());
    assertEquals(0.5, first.threshold(), 0);
    assertEquals(List.of("F", "First"), first.groups());
    assertEquals("FNR | [F,Third]", ((Base) g.arguments().get(1)).name());
    assertEquals("TPR", ((Base) ConstraintParser.parse("TPR")).name());
    // As in Python, a call's argument is a whole expression, so it needs no parentheses.
    Operation min =
        op(op(ConstraintParser.parse("min(ACC | [M], ACC | [F]) >= 0.5")).arguments().get(1));
    assertEquals("ACC | [F]", ((Base) min.arguments().get(1)).name());
  }

  private static ConstraintSyntaxException error(String constraint) {
    return assertThrows(ConstraintSyntaxException.class, () -> ConstraintParser.parse(constraint));
  }

  @Test
  public void errorsSayWhatAndWhere() {
    ConstraintSyntaxException unknown = error("ACCURACY | [M] >= 0.8");
    assertEquals(0, unknown.position());
    assertThat(unknown.getMessage(), containsString("unknown measure ACCURACY; accepted: ACC, PR"));
    ConstraintSyntaxException loose = error("ACC | [M] - 0.1 <= 0");
    assertThat(loose.getMessage(), containsString("put the conditioned measure in parentheses"));
    assertEquals(4, loose.position());
    assertEquals(7, error("(ACC + ] <= 1").position());
    assertThat(error("ACC < 0.5").getMessage(), containsString("write the constraint with one"));
    assertThat(error("PR <= 1 <= 2").getMessage(), containsString("at most one <= or >="));
    assertThat(error("min(PR) <= 1").getMessage(), containsString("min takes 2 arguments, got 1"));
    assertThat(error("sqrt(PR) <= 1").getMessage(), containsString("unknown function sqrt"));
    assertThat(error("+PR <= 1").getMessage(), containsString("unary '+'"));
    assertThat(error("ACC@ <= 1").getMessage(), containsString("threshold is expected"));
    assertThat(error(">= 0.8").getMessage(), containsString("missing"));
  }
}
