package io.fairbeam.metrics;

import java.util.Locale;

/**
 * Area under the ROC or precision-recall curve from confusion counts at sorted thresholds, by the
 * Riemann sums Keras and TFMA use ({@code tf.keras.metrics.AUC}).
 *
 * <p>ROC and PR with {@code minoring}/{@code majoring} sum rectangles between consecutive
 * thresholds; PR with {@code interpolation} uses Davis and Goadrich's interpolation of true
 * positives against predicted positives. Divisions by zero count as zero, as Keras' {@code
 * div_no_nan}.
 */
final class Auc {
  /** Which curve to integrate. */
  public enum Curve {
    ROC,
    PR;

    /** Parses TFMA's spelling ({@code ROC}, {@code PR}, any case). */
    public static Curve parse(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  /** How the area between two thresholds is summed. */
  public enum SummationMethod {
    INTERPOLATION,
    MINORING,
    MAJORING;

    /** Parses TFMA's spelling ({@code interpolation}, {@code minoring}, {@code majoring}). */
    public static SummationMethod parse(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  private Auc() {}

  private static double divNoNan(double numerator, double denominator) {
    return denominator == 0.0 ? 0.0 : numerator / denominator;
  }

  /** The area for {@code counts}, which must be in ascending threshold order. */
  public static double area(ConfusionCounts[] counts, Curve curve, SummationMethod method) {
    if (curve == Curve.PR && method == SummationMethod.INTERPOLATION) {
      return interpolatedPrAuc(counts);
    }
    int n = counts.length;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      ConfusionCounts c = counts[i];
      double recall = divNoNan(c.truePositives(), c.truePositives() + c.falseNegatives());
      if (curve == Curve.ROC) {
        x[i] = divNoNan(c.falsePositives(), c.falsePositives() + c.trueNegatives());
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = divNoNan(c.truePositives(), c.truePositives() + c.falsePositives());
      }
    }
    double sum = 0.0;
    for (int i = 0; i < n - 1; i++) {
      double height;
      switch (method) {
        case INTERPOLATION -> height = (y[i] + y[i + 1]) / 2;
        case MINORING -> height = Math.min(y[i], y[i + 1]);
        case MAJORING -> height = Math.max(y[i], y[i + 1]);
        default -> throw new AssertionError(method);
      }
      sum += (x[i] - x[i + 1]) * height;
    }
    return sum;
  }

  private static double interpolatedPrAuc(ConfusionCounts[] counts) {
    double sum = 0.0;
    for (int i = 0; i < counts.length - 1; i++) {
      ConfusionCounts current = counts[i];
      ConfusionCounts next = counts[i + 1];
      double dtp = current.truePositives() - next.truePositives();
      double p = current.truePositives() + current.falsePositives();
      double pNext = next.truePositives() + next.falsePositives();
      double dp = p - pNext;
      double precisionSlope = divNoNan(dtp, Math.max(dp, 0));
      double intercept = next.truePositives() - precisionSlope * pNext;
      double pRatio = p > 0 && pNext > 0 ? divNoNan(p, Math.max(pNext, 0)) : 1.0;
      double increment = precisionSlope * (dtp + intercept * Math.log(pRatio));
      sum += divNoNan(increment, Math.max(next.truePositives() + next.falseNegatives(), 0));
    }
    return sum;
  }
}
