package io.fairbeam.metrics;

/**
 * Weighted binary confusion counts at one decision threshold, and the rates TFMA derives from them.
 *
 * <p>Every rate follows TFMA's formula and returns {@code NaN} when its denominator is zero, as
 * TFMA and Fairness Indicators do. The one exception is {@link #precisionOrOne()} and {@link
 * #recallOrZero()}, which reproduce the defaults TFMA writes into a {@code
 * ConfusionMatrixAtThresholds} proto.
 */
record ConfusionCounts(
    double threshold,
    double truePositives,
    double falsePositives,
    double trueNegatives,
    double falseNegatives) {

  /** Returns {@code numerator / denominator}, or NaN when the denominator is zero. */
  static double ratio(double numerator, double denominator) {
    return denominator == 0.0 ? Double.NaN : numerator / denominator;
  }

  public double total() {
    return truePositives + falsePositives + trueNegatives + falseNegatives;
  }

  /** TP + FN: the weight of examples labelled positive (the denominator of TPR and FNR). */
  public double labelPositives() {
    return truePositives + falseNegatives;
  }

  /** TN + FP: the weight of examples labelled negative (the denominator of FPR and TNR). */
  public double labelNegatives() {
    return trueNegatives + falsePositives;
  }

  /** TP + FP: the weight of examples predicted positive (the denominator of precision). */
  public double predictedPositives() {
    return truePositives + falsePositives;
  }

  /** TN + FN: the weight of examples predicted negative (the denominator of NPV and FOR). */
  public double predictedNegatives() {
    return trueNegatives + falseNegatives;
  }

  /** TP / (TP + FN); also called recall or sensitivity. */
  public double truePositiveRate() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /** TN / (TN + FP); also called specificity. */
  public double trueNegativeRate() {
    return ratio(trueNegatives, trueNegatives + falsePositives);
  }

  /** FP / (FP + TN); also called fall-out. */
  public double falsePositiveRate() {
    return ratio(falsePositives, falsePositives + trueNegatives);
  }

  /** FN / (FN + TP); also called miss rate. */
  public double falseNegativeRate() {
    return ratio(falseNegatives, falseNegatives + truePositives);
  }

  /** (TP + FP) / N: the share of examples predicted positive. */
  public double positiveRate() {
    return ratio(truePositives + falsePositives, total());
  }

  /** (TN + FN) / N: the share of examples predicted negative. */
  public double negativeRate() {
    return ratio(trueNegatives + falseNegatives, total());
  }

  /** TP / (TP + FP). */
  public double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  /** FP / (FP + TP). */
  public double falseDiscoveryRate() {
    return ratio(falsePositives, falsePositives + truePositives);
  }

  /** FN / (FN + TN). */
  public double falseOmissionRate() {
    return ratio(falseNegatives, falseNegatives + trueNegatives);
  }

  /** TN / (TN + FN). */
  public double negativePredictiveValue() {
    return ratio(trueNegatives, trueNegatives + falseNegatives);
  }

  /** (TP + TN) / N. */
  public double accuracy() {
    return ratio(truePositives + trueNegatives, total());
  }

  /** (TP + FN) / N: the share of examples whose label is positive. */
  public double prevalence() {
    return ratio(truePositives + falseNegatives, total());
  }

  /** 2TP / (2TP + FP + FN). */
  public double f1Score() {
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
  }

  /** (TPR + TNR) / 2. */
  public double balancedAccuracy() {
    return (truePositiveRate() + trueNegativeRate()) / 2;
  }

  /** TP / (TP + FN + FP); also called critical success index. */
  public double threatScore() {
    return ratio(truePositives, truePositives + falseNegatives + falsePositives);
  }

  /** (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)). */
  public double matthewsCorrelationCoefficient() {
    double denominator =
        Math.sqrt(
            (truePositives + falsePositives)
                * (truePositives + falseNegatives)
                * (trueNegatives + falsePositives)
                * (trueNegatives + falseNegatives));
    return ratio(truePositives * trueNegatives - falsePositives * falseNegatives, denominator);
  }

  /** sqrt(precision · recall). */
  public double fowlkesMallowsIndex() {
    return Math.sqrt(precision() * truePositiveRate());
  }

  /** TPR + TNR − 1. */
  public double informedness() {
    return truePositiveRate() + trueNegativeRate() - 1;
  }

  /** PPV + NPV − 1. */
  public double markedness() {
    return precision() + negativePredictiveValue() - 1;
  }

  /** TPR / FPR. */
  public double positiveLikelihoodRatio() {
    return ratio(truePositiveRate(), falsePositiveRate());
  }

  /** FNR / TNR. */
  public double negativeLikelihoodRatio() {
    return ratio(falseNegativeRate(), trueNegativeRate());
  }

  /** LR+ / LR−. */
  public double diagnosticOddsRatio() {
    return ratio(positiveLikelihoodRatio(), negativeLikelihoodRatio());
  }

  /** (sqrt(TPR·FPR) − FPR) / (TPR − FPR). */
  public double prevalenceThreshold() {
    double tpr = truePositiveRate();
    double fpr = falsePositiveRate();
    return ratio(Math.sqrt(tpr * fpr) - fpr, tpr - fpr);
  }

  /** Precision as TFMA writes it in a confusion-matrix proto: 1.0 when nothing is predicted. */
  public double precisionOrOne() {
    return truePositives + falsePositives > 0 ? precision() : 1.0;
  }

  /**
   * F1 as TFMA writes it in a confusion-matrix proto: 2PR / (P + R) of {@link #precisionOrOne} and
   * {@link #recallOrZero}, 0.0 when both are 0.
   */
  public double f1OfDefaults() {
    double p = precisionOrOne();
    double r = recallOrZero();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }

  /** Recall as TFMA writes it in a confusion-matrix proto: 0.0 when no label is positive. */
  public double recallOrZero() {
    return truePositives + falseNegatives > 0 ? truePositiveRate() : 0.0;
  }
}
