package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * Which examples a rate counts, by label, when its denominator is fixed by the labels alone (a
 * false positive rate counts the negatives predicted positive): then a candidate model and its
 * baseline are measured on the same examples, and their difference can be judged from the examples
 * they decide differently ({@link PairedCounts}). Rates whose denominator depends on the
 * predictions (precision) have none.
 *
 * @param positives what a labelled positive must be predicted to count, or null when the rate does
 *     not look at positives
 * @param negatives the same for the negatives
 */
@Internal
public record LabelShare(Predicted positives, Predicted negatives) {
  /** A prediction at the rate's threshold. */
  public enum Predicted {
    POSITIVE,
    NEGATIVE
  }

  /** True positive rate (recall): positives predicted positive. */
  public static final LabelShare TRUE_POSITIVE_RATE = new LabelShare(Predicted.POSITIVE, null);

  /** False negative rate: positives predicted negative. */
  public static final LabelShare FALSE_NEGATIVE_RATE = new LabelShare(Predicted.NEGATIVE, null);

  /** False positive rate: negatives predicted positive. */
  public static final LabelShare FALSE_POSITIVE_RATE = new LabelShare(null, Predicted.POSITIVE);

  /** True negative rate: negatives predicted negative. */
  public static final LabelShare TRUE_NEGATIVE_RATE = new LabelShare(null, Predicted.NEGATIVE);

  /** The share of examples predicted positive. */
  public static final LabelShare POSITIVE_RATE =
      new LabelShare(Predicted.POSITIVE, Predicted.POSITIVE);

  /** The share of examples predicted negative. */
  public static final LabelShare NEGATIVE_RATE =
      new LabelShare(Predicted.NEGATIVE, Predicted.NEGATIVE);

  /** Accuracy: positives predicted positive and negatives predicted negative. */
  public static final LabelShare ACCURACY = new LabelShare(Predicted.POSITIVE, Predicted.NEGATIVE);
}
