package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * The per-example terms of the categorical metrics: Keras' accuracies and cross entropies (Keras 2
 * semantics, as TFMA 0.52 runs them by {@code class_name}) and TFMA's own {@code
 * CategoricalCrossEntropy}. Values, so equal terms share one sum.
 */
@Internal
public final class CategoricalTerm {
  private CategoricalTerm() {}

  /** Keras' {@code SparseCategoricalAccuracy}: 1 when the top-scoring class is the label's. */
  public record SparseAccuracy() implements ClassTerm {
    @Override
    public double ofClasses(int actual, double[] labels, double[] scores, int count) {
      return Binarization.argmax(scores, count) == actual ? 1 : 0;
    }
  }

  /**
   * Keras' {@code CategoricalAccuracy}: 1 when the top-scoring class is the label's highest (class
   * 0 for a label of no class, as Keras' argmax of zeros).
   */
  public record Accuracy() implements ClassTerm {
    @Override
    public double ofClasses(int actual, double[] labels, double[] scores, int count) {
      return Binarization.argmax(scores, count) == Binarization.argmax(labels, count) ? 1 : 0;
    }
  }

  /**
   * Keras' {@code SparseCategoricalCrossentropy}: −log of the label's class's share of the scores,
   * each score first clipped to [1e-7, 1 − 1e-7] (Keras takes the log of the clipped scores as
   * logits); with {@code fromLogits}, −log softmax. NaN for a label of no class, which Keras
   * refuses. With {@code ignoreClass} (null: none), an example of that label is left out, as Keras
   * masks it out of the mean.
   */
  public record SparseCrossEntropy(boolean fromLogits, Integer ignoreClass) implements ClassTerm {
    @Override
    public double ofClasses(int actual, double[] labels, double[] scores, int count) {
      if (actual < 0 || ignoreClass != null && actual == ignoreClass) {
        return Double.NaN;
      }
      if (fromLogits) {
        return logSumExp(scores, count) - scores[actual];
      }
      double sum = 0;
      for (int c = 0; c < count; c++) {
        sum += clip(scores[c]);
      }
      return Math.log(sum) - Math.log(clip(scores[actual]));
    }

    /** An ignored example is left out with its weight. */
    @Override
    public boolean skipsNaN() {
      return ignoreClass != null;
    }
  }

  /**
   * Keras' {@code CategoricalCrossentropy}: −Σ y·log p over the classes, the scores first divided
   * by their sum and then clipped to [1e-7, 1 − 1e-7] (with {@code fromLogits}, p the softmax), the
   * label smoothed to y·(1 − s) + s / classes.
   */
  public record CrossEntropy(boolean fromLogits, double labelSmoothing) implements ClassTerm {
    @Override
    public double ofClasses(int actual, double[] labels, double[] scores, int count) {
      double sum = 0;
      double logSum = fromLogits ? logSumExp(scores, count) : 0;
      for (int c = 0; c < count; c++) {
        sum += scores[c];
      }
      double loss = 0;
      for (int c = 0; c < count; c++) {
        double y = labels[c] * (1 - labelSmoothing) + labelSmoothing / count;
        double logP = fromLogits ? scores[c] - logSum : Math.log(clip(scores[c] / sum));
        loss -= y * logP;
      }
      return loss;
    }
  }

  /**
   * TFMA's {@code CategoricalCrossEntropy}: −Σ y·log p, p the scores divided by their sum (with
   * {@code fromLogits}, exp of the scores first), without clipping; a class whose p is not positive
   * adds nothing (numpy's masked log), the label smoothed to y·(1 − s) + s / classes.
   */
  public record TfmaCrossEntropy(boolean fromLogits, double labelSmoothing) implements ClassTerm {
    @Override
    public double ofClasses(int actual, double[] labels, double[] scores, int count) {
      double sum = 0;
      for (int c = 0; c < count; c++) {
        sum += fromLogits ? Math.exp(scores[c]) : scores[c];
      }
      double loss = 0;
      for (int c = 0; c < count; c++) {
        double p = (fromLogits ? Math.exp(scores[c]) : scores[c]) / sum;
        if (p > 0) {
          loss -= (labels[c] * (1 - labelSmoothing) + labelSmoothing / count) * Math.log(p);
        }
      }
      return loss;
    }
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, KerasTerm.EPSILON), 1 - KerasTerm.EPSILON);
  }

  private static double logSumExp(double[] values, int count) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < count; c++) {
      max = Math.max(max, values[c]);
    }
    double sum = 0;
    for (int c = 0; c < count; c++) {
      sum += Math.exp(values[c] - max);
    }
    return max + Math.log(sum);
  }
}
