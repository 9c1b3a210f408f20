package io.fairbeam.metrics;

import com.google.protobuf.Int32Value;
import io.fairbeam.proto.tfma.MetricsSpec;
import io.fairbeam.proto.tfma.SubKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How a multi-class (or multi-label) example becomes the binary example a binary-classification
 * metric takes, as TFMA 0.52's {@code to_label_prediction_example_weight} does for a {@code
 * SubKey}: one-vs-rest for a class ({@code class_id}), or the class with the k-th highest score
 * ({@code k}). {@link #NONE} keeps a binary example as it is.
 *
 * <p>A multi-class label is either one class id (sparse) or one value per class (dense, multi-hot
 * for multi-label); the scores hold one value per class.
 */
@Internal
public final class Binarization implements Serializable {
  private static final long serialVersionUID = 1L;

  private enum Kind {
    NONE,
    CLASS_ID,
    K
  }

  /** No sub-key: the example is already binary. */
  public static final Binarization NONE = new Binarization(Kind.NONE, 0);

  private final Kind kind;
  private final int value;

  private Binarization(Kind kind, int value) {
    this.kind = kind;
    this.value = value;
  }

  /** One-vs-rest for class {@code classId}. */
  public static Binarization classId(int classId) {
    return new Binarization(Kind.CLASS_ID, classId);
  }

  /** The class with the {@code k}-th highest score (k ≥ 1). */
  public static Binarization k(int k) {
    return new Binarization(Kind.K, k);
  }

  /**
   * The binarizations of {@code spec}'s {@code binarize}, in TFMA's order (class ids, then k, then
   * top k); {@link #NONE} alone when it has none and no {@code aggregate} (whose metrics are
   * averages over classes, not binarized ones).
   */
  public static List<Binarization> of(MetricsSpec spec) {
    List<Binarization> result = new ArrayList<>();
    if (spec.hasBinarize()) {
      spec.getBinarize().getClassIds().getValuesList().forEach(c -> result.add(classId(c)));
      spec.getBinarize().getKList().getValuesList().forEach(k -> result.add(k(k)));
    }
    if (result.isEmpty() && !spec.hasAggregate()) {
      result.add(NONE);
    }
    return result;
  }

  public boolean isNone() {
    return kind == Kind.NONE;
  }

  /**
   * The fewest per-class scores an example must have for this binarization: one more than the class
   * id, k; 1 for {@link #NONE}.
   */
  public int classesNeeded() {
    return switch (kind) {
      case NONE -> 1;
      case CLASS_ID -> value + 1;
      case K -> value;
    };
  }

  /** TFMA's {@code sub_key}; null for {@link #NONE}. */
  public SubKey subKey() {
    return switch (kind) {
      case NONE -> null;
      case CLASS_ID -> SubKey.newBuilder().setClassId(Int32Value.of(value)).build();
      case K -> SubKey.newBuilder().setK(Int32Value.of(value)).build();
    };
  }

  /** The class whose label and score the binary example takes, among {@code scores[0, count)}. */
  public int classOf(double[] scores, int count) {
    return switch (kind) {
      case NONE -> 0;
      case CLASS_ID -> value;
      case K -> kthHighest(scores, count, value);
    };
  }

  /**
   * The index of the {@code k}-th highest of {@code scores[0, count)}, ties in index order (numpy's
   * stable {@code argsort} of the negated scores, as TFMA's {@code top_k_indices}).
   */
  static int kthHighest(double[] scores, int count, int k) {
    if (k == 1) {
      return argmax(scores, count);
    }
    // The k-th highest is the index with exactly k-1 indices ranked before it; k is small, so
    // rank each index by counting (count² at worst, no allocation on the per-example path).
    for (int i = 0; i < count; i++) {
      int before = 0;
      for (int j = 0; j < count && before < k; j++) {
        if (scores[j] > scores[i] || (scores[j] == scores[i] && j < i)) {
          before++;
        }
      }
      if (before == k - 1) {
        return i;
      }
    }
    throw new IllegalArgumentException("k=" + k + " of " + count + " scores");
  }

  /** The index of the highest of {@code scores[0, count)}, the first on a tie (numpy's argmax). */
  public static int argmax(double[] scores, int count) {
    int best = 0;
    for (int i = 1; i < count; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Short text for messages: {@code class_id 2}, {@code k 1}. */
  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "none";
      case CLASS_ID -> "class_id " + value;
      case K -> "k " + value;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Binarization other && other.kind == kind && other.value == value;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + value;
  }
}
