package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.MultiLabelConfusionMatrixAtThresholds;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A slice's multi-label confusion matrices, as TFMA 0.52's {@code MultiLabelConfusionMatrixPlot}
 * keeps them: at each threshold, for each class an example is labelled with (its actual class) and
 * each class scored (its predicted class), the weighted true and false positives and negatives of
 * that predicted class among the examples of that actual class: positive when its score is above
 * the threshold, true when the example is labelled with it. An entry is written once an example of
 * its actual class has been seen, even with weight 0, as TFMA writes it.
 *
 * <p>Kept dense, [threshold][actual][predicted][fn, tn, fp, tp], over the classes seen so far; it
 * grows when an example has more classes. Adding an example costs thresholds × its labelled classes
 * × its classes.
 */
@Internal
public final class MultiLabelCounts {
  private static final int FN = 0;
  private static final int TN = 1;
  private static final int FP = 2;
  private static final int TP = 3;

  private final double[] thresholds;

  /** The classes the cells cover. */
  private int classes;

  private double[] counts = new double[0];

  /** Per actual class, how many examples were labelled with it. */
  private long[] examples = new long[0];

  /** The most classes an example labelled with one had: the predicted classes written. */
  private int scored;

  /** Empty counts at {@code thresholds} (sorted, distinct). */
  public MultiLabelCounts(double[] thresholds) {
    this.thresholds = thresholds;
  }

  private int cell(int threshold, int actual, int predicted) {
    return ((threshold * classes + actual) * classes + predicted) * 4;
  }

  /** Makes room for {@code count} classes. */
  private void cover(int count) {
    if (count <= classes) {
      return;
    }
    int newClasses = Math.max(count, classes * 2);
    double[] grown = new double[thresholds.length * newClasses * newClasses * 4];
    for (int t = 0; t < thresholds.length; t++) {
      for (int a = 0; a < classes; a++) {
        System.arraycopy(
            counts, cell(t, a, 0), grown, ((t * newClasses + a) * newClasses) * 4, classes * 4);
      }
    }
    counts = grown;
    examples = Arrays.copyOf(examples, newClasses);
    classes = newClasses;
  }

  /**
   * Adds {@code multiplicity} copies of an example of weight {@code weight} (each) with {@code
   * labels} and {@code scores} for its {@code count} classes; a label other than 0 marks the class
   * as the example's, as TFMA tests it.
   */
  void add(double[] labels, double[] scores, int count, double weight, long multiplicity) {
    cover(count);
    double w = multiplicity * weight;
    for (int a = 0; a < count; a++) {
      if (labels[a] == 0) {
        continue;
      }
      examples[a] += multiplicity;
      scored = Math.max(scored, count);
      for (int t = 0; t < thresholds.length; t++) {
        int row = cell(t, a, 0);
        for (int p = 0; p < count; p++) {
          boolean positive = scores[p] > thresholds[t];
          boolean labelled = labels[p] != 0;
          int at = row + 4 * p + (labelled ? (positive ? TP : FN) : (positive ? FP : TN));
          counts[at] += w;
        }
      }
    }
  }

  /** Adds {@code other}'s counts, kept at the same thresholds. */
  void merge(MultiLabelCounts other) {
    cover(other.classes);
    for (int t = 0; t < thresholds.length; t++) {
      for (int a = 0; a < other.classes; a++) {
        for (int p = 0; p < other.classes; p++) {
          int from = other.cell(t, a, p);
          int to = cell(t, a, p);
          for (int k = 0; k < 4; k++) {
            counts[to + k] += other.counts[from + k];
          }
        }
      }
    }
    for (int a = 0; a < other.classes; a++) {
      examples[a] += other.examples[a];
    }
    scored = Math.max(scored, other.scored);
  }

  /**
   * TFMA's {@code MultiLabelConfusionMatrixAtThresholds} at {@code wanted} (kept thresholds, in
   * ascending order), each matrix's threshold written as {@code writtenAs} says; entries ordered by
   * actual, then predicted class, for every actual class seen and every class scored with it.
   */
  public MultiLabelConfusionMatrixAtThresholds toProto(double[] wanted, double[] writtenAs) {
    MultiLabelConfusionMatrixAtThresholds.Builder result =
        MultiLabelConfusionMatrixAtThresholds.newBuilder();
    for (int w = 0; w < wanted.length; w++) {
      int t = Arrays.binarySearch(thresholds, wanted[w]);
      if (t < 0) {
        throw new IllegalArgumentException("threshold " + wanted[w] + " was not kept");
      }
      MultiLabelConfusionMatrixAtThresholds.MultiLabelConfusionMatrix.Builder matrix =
          result.addMatricesBuilder().setThreshold(writtenAs[w]);
      for (int a = 0; a < classes; a++) {
        if (examples[a] == 0) {
          continue;
        }
        for (int p = 0; p < scored; p++) {
          int i = cell(t, a, p);
          matrix
              .addEntriesBuilder()
              .setActualClassId(a)
              .setPredictedClassId(p)
              .setFalseNegatives(counts[i + FN])
              .setTrueNegatives(counts[i + TN])
              .setFalsePositives(counts[i + FP])
              .setTruePositives(counts[i + TP]);
        }
      }
    }
    return result.build();
  }

  /** The number of bytes {@link #writeTo} writes. */
  int encodedSize() {
    return 8 + 8 * classes + 8 * counts.length;
  }

  /** Writes the classes covered and scored, the examples of each actual class, and every cell. */
  void writeTo(ByteBuffer out) {
    out.putInt(classes).putInt(scored);
    for (long n : examples) {
      out.putLong(n);
    }
    for (double c : counts) {
      out.putDouble(c);
    }
  }

  /** Reads what {@link #writeTo} wrote into these (empty) counts. */
  void readFrom(ByteBuffer in) {
    int covered = in.getInt();
    int scoredClasses = in.getInt();
    if (covered < 0 || covered > 1 << 12 || scoredClasses < 0 || scoredClasses > covered) {
      throw new IllegalArgumentException(
          "encoded multi-label counts claim " + covered + " classes, " + scoredClasses + " scored");
    }
    scored = scoredClasses;
    classes = covered;
    examples = new long[covered];
    counts = new double[thresholds.length * covered * covered * 4];
    for (int a = 0; a < covered; a++) {
      examples[a] = in.getLong();
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] = in.getDouble();
    }
  }
}
