package io.fairbeam.constraint;

/**
 * The Seldonian Engine's measures for binary classification (seldonian-engine 0.8.11, {@code
 * measure_functions_dict} and {@code zhat_funcs}): each example of its population contributes one
 * value z from the label y and the positive-class probability p. ACC is the expected accuracy
 * {@code y·p + (1−y)(1−p)}, not a thresholded one. With a threshold t (Fairbeam's {@code ACC@0.5}),
 * p is replaced by the decision {@code score > t ? 1 : 0}, TFMA's strict rule.
 */
public enum Measure {
  ACC("accuracy"),
  PR("positive rate"),
  NR("negative rate"),
  FPR("false positive rate"),
  TPR("true positive rate"),
  FNR("false negative rate"),
  TNR("true negative rate");

  private final String description;

  Measure(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** Whether an example with label {@code y} is in this measure's population. */
  public boolean includes(double y) {
    return switch (this) {
      case ACC, PR, NR -> true;
      case FPR, TNR -> y != 1.0;
      case TPR, FNR -> y == 1.0;
    };
  }

  /** The example's value z, for an example in the population. */
  public double value(double y, double p) {
    return switch (this) {
      case ACC -> y * p + (1 - y) * (1 - p);
      case PR, FPR, TPR -> p;
      case NR, TNR, FNR -> 1 - p;
    };
  }
}
