package io.fairbeam.constraint;

import java.io.Serializable;
import java.util.List;

/** A node of a constraint's function g, as the Seldonian Engine's parse tree holds it. */
public interface Expression extends Serializable {
  /** A number, or the constant {@code e}. */
  record Constant(double value) implements Expression {}

  /**
   * A measure over a population: all examples, or those in every group of {@code groups} (the
   * engine's {@code ACC | [M,F]}), with p replaced by a decision at {@code threshold} when that is
   * not null.
   *
   * @param name the engine's name of the node, e.g. {@code ACC | [M]}; equal names are one node
   */
  record Base(String name, Measure measure, Double threshold, List<String> groups)
      implements Expression {}

  /** An operator or function applied to its arguments. */
  record Operation(Operator operator, List<Expression> arguments) implements Expression {}

  /** The engine's operators and functions. */
  enum Operator {
    ADD,
    SUB,
    MULT,
    DIV,
    POW,
    MIN,
    MAX,
    ABS,
    EXP,
    LOG
  }
}
