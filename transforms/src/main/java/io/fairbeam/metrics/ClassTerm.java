package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * A per-example quantity of a multi-class model's example, computed from its label (one value per
 * class: the multi-hot label, or the class id one-hot) and its scores for every class: the losses
 * and accuracies of the categorical metrics. Kept like any {@link ExampleTerm}, but only for a
 * model's examples without a sub-key; a binary example has no value for it.
 */
@Internal
public interface ClassTerm extends ExampleTerm {
  /**
   * The term for one example: {@code actual} its class (−1 for none; the first highest value of a
   * multi-hot label), {@code labels} and {@code scores} its label and score for each of the {@code
   * count} classes.
   */
  double ofClasses(int actual, double[] labels, double[] scores, int count);

  /** A binary example has no classes. */
  @Override
  default double of(double label, double prediction) {
    return Double.NaN;
  }
}
