package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.MultiClassConfusionMatrixAtThresholds;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A slice's multi-class confusion matrices, as TFMA 0.52's {@code multi_class_confusion_matrices}
 * keeps them: at each threshold, the weight of the examples of each actual class whose top-scoring
 * class was each predicted class, the predicted class being −1 (no prediction) where the top score
 * is at or below the threshold. Class −1 is also the actual class of a label of −1. An entry is
 * written once an example has fallen into it, even with weight 0, as TFMA writes it.
 *
 * <p>Kept dense, [threshold][actual + 1][predicted + 1], over the classes seen so far; it grows
 * when an example names a higher class.
 */
@Internal
public final class MultiClassCounts {
  private final double[] thresholds;

  /** The classes the cells cover (0..classes−1, and −1). */
  private int classes;

  private double[] weights;
  private long[] examples;

  /** Empty counts at {@code thresholds} (sorted, distinct). */
  public MultiClassCounts(double[] thresholds) {
    this.thresholds = thresholds;
    // No class yet: one cell per threshold, for actual and predicted class −1.
    this.weights = new double[thresholds.length];
    this.examples = new long[thresholds.length];
  }

  private int side() {
    return classes + 1;
  }

  private int cell(int threshold, int actual, int predicted) {
    int side = side();
    return (threshold * side + actual + 1) * side + predicted + 1;
  }

  /** Makes room for class ids up to {@code highest}. */
  private void cover(int highest) {
    if (highest < classes) {
      return;
    }
    int oldSide = side();
    int newClasses = Math.max(highest + 1, classes * 2);
    int newSide = newClasses + 1;
    double[] newWeights = new double[thresholds.length * newSide * newSide];
    long[] newExamples = new long[newWeights.length];
    for (int t = 0; t < thresholds.length; t++) {
      for (int a = 0; a < oldSide; a++) {
        int from = (t * oldSide + a) * oldSide;
        int to = (t * newSide + a) * newSide;
        System.arraycopy(weights, from, newWeights, to, oldSide);
        System.arraycopy(examples, from, newExamples, to, oldSide);
      }
    }
    classes = newClasses;
    weights = newWeights;
    examples = newExamples;
  }

  /**
   * Adds {@code count} examples of class {@code actual} (−1 for none) whose top score {@code
   * topScore} went to class {@code predicted}, with weight {@code weight} in all.
   */
  void add(int actual, int predicted, double topScore, double weight, long count) {
    cover(Math.max(actual, predicted));
    for (int t = 0; t < thresholds.length; t++) {
      int i = cell(t, actual, topScore > thresholds[t] ? predicted : -1);
      weights[i] += weight;
      examples[i] += count;
    }
  }

  /** Adds {@code other}'s counts, kept at the same thresholds. */
  void merge(MultiClassCounts other) {
    if (other.classes == 0) {
      return;
    }
    cover(other.classes - 1);
    int side = other.side();
    for (int t = 0; t < thresholds.length; t++) {
      for (int a = 0; a < side; a++) {
        for (int p = 0; p < side; p++) {
          int from = (t * side + a) * side + p;
          int to = cell(t, a - 1, p - 1);
          weights[to] += other.weights[from];
          examples[to] += other.examples[from];
        }
      }
    }
  }

  /**
   * TFMA's {@code MultiClassConfusionMatrixAtThresholds} at {@code wanted} (kept thresholds, in
   * ascending order), each matrix's threshold written as {@code writtenAs} says (TFMA writes its
   * ±epsilon end points as 0 and 1); entries ordered by actual, then predicted class.
   */
  public MultiClassConfusionMatrixAtThresholds toProto(double[] wanted, double[] writtenAs) {
    MultiClassConfusionMatrixAtThresholds.Builder result =
        MultiClassConfusionMatrixAtThresholds.newBuilder();
    for (int w = 0; w < wanted.length; w++) {
      int t = Arrays.binarySearch(thresholds, wanted[w]);
      if (t < 0) {
        throw new IllegalArgumentException("threshold " + wanted[w] + " was not kept");
      }
      MultiClassConfusionMatrixAtThresholds.MultiClassConfusionMatrix.Builder matrix =
          result.addMatricesBuilder().setThreshold(writtenAs[w]);
      for (int a = -1; a < classes; a++) {
        for (int p = -1; p < classes; p++) {
          int i = cell(t, a, p);
          if (examples[i] > 0) {
            matrix
                .addEntriesBuilder()
                .setActualClassId(a)
                .setPredictedClassId(p)
                .setNumWeightedExamples(weights[i]);
          }
        }
      }
    }
    return result.build();
  }

  /** The number of bytes {@link #writeTo} writes. */
  int encodedSize() {
    int entries = 0;
    for (long n : examples) {
      if (n > 0) {
        entries++;
      }
    }
    return 8 + entries * (4 + 8 + 8);
  }

  /** Writes the classes covered and the entries holding examples (cell, weight, examples). */
  void writeTo(ByteBuffer out) {
    int entries = 0;
    for (long n : examples) {
      if (n > 0) {
        entries++;
      }
    }
    out.putInt(classes).putInt(entries);
    for (int i = 0; i < examples.length; i++) {
      if (examples[i] > 0) {
        out.putInt(i).putDouble(weights[i]).putLong(examples[i]);
      }
    }
  }

  /** Reads what {@link #writeTo} wrote into these (empty) counts. */
  void readFrom(ByteBuffer in) {
    int covered = in.getInt();
    int entries = in.getInt();
    if (covered < 0 || covered > 1 << 16 || entries < 0) {
      throw new IllegalArgumentException(
          "encoded multi-class counts claim " + covered + " classes and " + entries + " entries");
    }
    if (covered > 0) {
      cover(covered - 1);
    }
    if (classes != covered || entries > weights.length) {
      throw new IllegalArgumentException("encoded multi-class counts do not match their layout");
    }
    for (int e = 0; e < entries; e++) {
      int i = in.getInt();
      if (i < 0 || i >= weights.length) {
        throw new IllegalArgumentException("encoded multi-class entry " + i + " out of range");
      }
      weights[i] = in.getDouble();
      examples[i] = in.getLong();
    }
  }
}
