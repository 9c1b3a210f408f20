package io.fairbeam.constraint;

import io.fairbeam.constraint.Expression.Base;
import io.fairbeam.constraint.Expression.Constant;
import io.fairbeam.constraint.Expression.Operation;
import io.fairbeam.constraint.Expression.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a constraint written in the Seldonian Engine's language into its function g, where the
 * constraint holds when g ≤ 0 ({@code ParseTree._preprocess_constraint_str} and its tree builder):
 * {@code LHS <= RHS} becomes {@code LHS - (RHS)} (or LHS when RHS is 0), {@code LHS >= RHS} becomes
 * {@code RHS - (LHS)} (or RHS when LHS is 0), and an expression alone is g. Expressions follow
 * Python's syntax and precedence: numbers, the constant {@code e}, {@code + - * / **}, unary minus,
 * {@code min(a, b)}, {@code max(a, b)}, {@code abs(x)}, {@code exp(x)}, {@code log(x)}, a measure
 * alone (all examples) or conditioned on groups, {@code (ACC | [M,F])}. {@code |} binds loosest, as
 * in Python, so a conditioned measure inside a larger expression needs parentheses. Fairbeam adds
 * thresholded measures, {@code ACC@0.5}.
 */
public final class ConstraintParser {
  private static final Pattern NUMBER =
      Pattern.compile("(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String text;
  private int pos;

  private ConstraintParser(String text, int start) {
    this.text = text;
    this.pos = start;
  }

  /**
   * The function g of {@code constraint}.
   *
   * @throws ConstraintSyntaxException naming what is wrong and where
   */
  public static Expression parse(String constraint) {
    int le = count(constraint, "<=");
    int ge = count(constraint, ">=");
    if (le + ge > 1) {
      throw new ConstraintSyntaxException(
          "a constraint has at most one <= or >=",
          constraint.indexOf(le > 0 ? "<=" : ">=", constraint.indexOf(le > 0 ? "<=" : ">=") + 1));
    }
    if (le + ge == 0) {
      return parseSide(constraint, 0, constraint.length());
    }
    int at = constraint.indexOf(le == 1 ? "<=" : ">=");
    Expression left = parseSide(constraint, 0, at);
    Expression right = parseSide(constraint, at + 2, constraint.length());
    String leftText = constraint.substring(0, at).strip();
    String rightText = constraint.substring(at + 2).strip();
    if (le == 1) {
      return rightText.equals("0") ? left : op(Operator.SUB, left, right);
    }
    return leftText.equals("0") ? right : op(Operator.SUB, right, left);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static Expression parseSide(String constraint, int start, int end) {
    ConstraintParser parser = new ConstraintParser(constraint.substring(0, end), start);
    parser.skipSpace();
    if (parser.pos >= end) {
      throw new ConstraintSyntaxException("an expression is missing", parser.pos);
    }
    Expression e = parser.bitOr();
    parser.skipSpace();
    if (parser.pos < end) {
      throw parser.unexpected();
    }
    return finish(e);
  }

  private static Operation op(Operator operator, Expression... arguments) {
    return new Operation(operator, List.of(arguments));
  }

  /** Python's loosest binary operator here: {@code measure | [groups]}. */
  private Expression bitOr() {
    int start = skipSpace();
    Expression left = arith();
    if (!peek("|")) {
      return left;
    }
    int bar = pos;
    pos++;
    skipSpace();
    if (!(left instanceof Pending measure)) {
      throw new ConstraintSyntaxException(
          "'|' conditions a measure on groups, as (ACC | [M]); its left side must be a measure"
              + " (put a conditioned measure inside a larger expression in parentheses)",
          start);
    }
    if (!peek("[")) {
      throw new ConstraintSyntaxException(
          "after '|' comes a list of groups in brackets, e.g. [M] or [M,F]", pos);
    }
    pos++;
    List<String> groups = new ArrayList<>();
    while (true) {
      skipSpace();
      String group = name();
      if (group == null) {
        throw new ConstraintSyntaxException("a group name is expected here", pos);
      }
      groups.add(group);
      skipSpace();
      if (peek(",")) {
        pos++;
        continue;
      }
      if (peek("]")) {
        pos++;
        break;
      }
      throw new ConstraintSyntaxException("',' or ']' is expected here", pos);
    }
    skipSpace();
    if (peek("|")) {
      throw new ConstraintSyntaxException(
          "a measure is conditioned once: list all its groups in one [...]", pos);
    }
    if (pos < text.length() && !peek(")") && !peek(",")) {
      throw new ConstraintSyntaxException(
          "'|' binds loosest, as in Python: put the conditioned measure in parentheses, e.g."
              + " (ACC | [M]) - 0.1",
          bar);
    }
    return base(measure, groups);
  }

  private Expression arith() {
    Expression left = term();
    while (true) {
      skipSpace();
      if (peek("+") || peek("-")) {
        Operator op = text.charAt(pos) == '+' ? Operator.ADD : Operator.SUB;
        pos++;
        left = op(op, finish(left), finish(term()));
      } else {
        return left;
      }
    }
  }

  private Expression term() {
    Expression left = factor();
    while (true) {
      skipSpace();
      if (peek("**")) {
        return left;
      }
      if (peek("*") || peek("/")) {
        Operator op = text.charAt(pos) == '*' ? Operator.MULT : Operator.DIV;
        pos++;
        left = op(op, finish(left), finish(factor()));
      } else {
        return left;
      }
    }
  }

  private Expression factor() {
    skipSpace();
    if (peek("-")) {
      int at = pos;
      pos++;
      Expression operand = factor();
      if (operand instanceof Constant c && startsWithNumber(at + 1)) {
        return new Constant(-c.value());
      }
      return op(Operator.MULT, new Constant(-1), finish(operand));
    }
    if (peek("+")) {
      throw new ConstraintSyntaxException("unary '+' is not supported", pos);
    }
    return power();
  }

  private boolean startsWithNumber(int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    Matcher m = NUMBER.matcher(text).region(i, text.length());
    if (!m.lookingAt()) {
      return false;
    }
    int after = m.end();
    while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
      after++;
    }
    return after >= text.length() || !text.startsWith("**", after);
  }

  private Expression power() {
    Expression base = primary();
    skipSpace();
    if (peek("**")) {
      pos += 2;
      return op(Operator.POW, finish(base), finish(factor()));
    }
    return base;
  }

  private Expression primary() {
    int start = skipSpace();
    if (pos >= text.length()) {
      throw new ConstraintSyntaxException("the expression ends too early", pos);
    }
    if (peek("(")) {
      pos++;
      Expression inner = bitOr();
      skipSpace();
      if (!peek(")")) {
        throw new ConstraintSyntaxException("')' is expected here", pos);
      }
      pos++;
      return finish(inner);
    }
    Matcher number = NUMBER.matcher(text).region(pos, text.length());
    if (number.lookingAt()) {
      pos = number.end();
      return new Constant(Double.parseDouble(number.group()));
    }
    String name = name();
    if (name == null) {
      throw unexpected();
    }
    skipSpace();
    if (peek("(")) {
      return call(name, start);
    }
    if (name.equals("e")) {
      return new Constant(Math.E);
    }
    Measure measure = measure(name, start);
    Double threshold = null;
    if (peek("@")) {
      pos++;
      skipSpace();
      Matcher t = NUMBER.matcher(text).region(pos, text.length());
      if (!t.lookingAt()) {
        throw new ConstraintSyntaxException("a threshold is expected after '@', e.g. ACC@0.5", pos);
      }
      pos = t.end();
      threshold = Double.parseDouble(t.group());
    }
    return new Pending(measure, threshold, start);
  }

  private Expression call(String function, int start) {
    Operator operator;
    int arity;
    switch (function) {
      case "min" -> {
        operator = Operator.MIN;
        arity = 2;
      }
      case "max" -> {
        operator = Operator.MAX;
        arity = 2;
      }
      case "abs" -> {
        operator = Operator.ABS;
        arity = 1;
      }
      case "exp" -> {
        operator = Operator.EXP;
        arity = 1;
      }
      case "log" -> {
        operator = Operator.LOG;
        arity = 1;
      }
      default ->
          throw new ConstraintSyntaxException(
              "unknown function " + function + "; accepted: min, max, abs, exp, log", start);
    }
    pos++;
    List<Expression> arguments = new ArrayList<>();
    while (true) {
      arguments.add(finish(bitOr()));
      skipSpace();
      if (peek(",")) {
        pos++;
        continue;
      }
      if (peek(")")) {
        pos++;
        break;
      }
      throw new ConstraintSyntaxException("',' or ')' is expected here", pos);
    }
    if (arguments.size() != arity) {
      throw new ConstraintSyntaxException(
          function
              + " takes "
              + arity
              + (arity == 1 ? " argument" : " arguments")
              + ", got "
              + arguments.size(),
          start);
    }
    return new Operation(operator, List.copyOf(arguments));
  }

  private static Measure measure(String name, int at) {
    try {
      return Measure.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new ConstraintSyntaxException(
          "unknown measure "
              + name
              + "; accepted: "
              + String.join(", ", Arrays.stream(Measure.values()).map(Enum::name).toList())
              + " (each optionally with a threshold, e.g. FPR@0.5), the constant e, and the"
              + " functions min, max, abs, exp, log",
          at);
    }
  }

  /** A measure read but not yet known to be conditioned on groups. */
  private record Pending(Measure measure, Double threshold, int position) implements Expression {}

  /** {@code e} as a finished node: a measure not conditioned is over all examples. */
  private static Expression finish(Expression e) {
    return e instanceof Pending p ? base(p, List.of()) : e;
  }

  private static Base base(Pending p, List<String> groups) {
    String measure =
        p.measure().name() + (p.threshold() == null ? "" : "@" + number(p.threshold()));
    String name = groups.isEmpty() ? measure : measure + " | [" + String.join(",", groups) + "]";
    return new Base(name, p.measure(), p.threshold(), List.copyOf(groups));
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? String.format(Locale.ROOT, "%.1f", v)
        : Double.toString(v);
  }

  private String name() {
    Matcher m = NAME.matcher(text).region(pos, text.length());
    if (!m.lookingAt()) {
      return null;
    }
    pos = m.end();
    return m.group();
  }

  private boolean peek(String s) {
    return text.startsWith(s, pos);
  }

  private int skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private ConstraintSyntaxException unexpected() {
    if (pos >= text.length()) {
      return new ConstraintSyntaxException("the expression ends too early", pos);
    }
    char c = text.charAt(pos);
    if (c == '<' || c == '>' || c == '=') {
      return new ConstraintSyntaxException(
          "'" + c + "' is not supported; write the constraint with one <= or >=", pos);
    }
    return new ConstraintSyntaxException("unexpected '" + c + "'", pos);
  }
}
