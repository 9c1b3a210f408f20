package io.fairbeam.metrics;

import com.google.protobuf.Int32Value;
import io.fairbeam.proto.tfma.AggregationOptions;
import io.fairbeam.proto.tfma.AggregationType;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricsSpec;
import io.fairbeam.proto.tfma.SubKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How a multi-class (or multi-label) example becomes the binary examples a binary-classification
 * metric takes, as TFMA 0.52's {@code to_label_prediction_example_weight} does for a {@code SubKey}
 * and an aggregation type: one binary example, one-vs-rest for a class ({@code class_id}) or the
 * class with the k-th highest score ({@code k}); or one binary example per class, pooled
 * ("flattened"): every class, its score kept only when among the {@code top_k} highest ({@code
 * top_k}: the others become −inf, so no threshold predicts them), or every class, weighted by its
 * class weight ({@code micro_average}), or only the {@code top_k} highest-scoring classes ({@code
 * micro_average} with {@code top_k}). {@link #NONE} keeps a binary example as it is. A class may
 * also be taken one-vs-rest with its score kept only when among the top k ({@code class_id} and
 * {@code top_k} in one sub-key: a metric's own argument merged into its spec's {@code binarize}).
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
    K,
    TOP_K,
    MICRO
  }

  /** No sub-key: the example is already binary. */
  public static final Binarization NONE = new Binarization(Kind.NONE, 0);

  private final Kind kind;

  /** The class id, k or top k; 0 for a micro average over every class. */
  private final int value;

  /**
   * A micro average's class weights, indexed by class id (a class past the end weighs 0); null when
   * it has none (every class weighs 1).
   */
  private final double[] classWeights;

  /** For one class ({@link Kind#CLASS_ID}): its score is kept only among the top k; 0: always. */
  private final int maskTopK;

  private Binarization(Kind kind, int value) {
    this(kind, value, null, 0);
  }

  private Binarization(Kind kind, int value, double[] classWeights, int maskTopK) {
    this.kind = kind;
    this.value = value;
    this.classWeights = classWeights;
    this.maskTopK = maskTopK;
  }

  /** One-vs-rest for class {@code classId}. */
  public static Binarization classId(int classId) {
    return new Binarization(Kind.CLASS_ID, classId);
  }

  /**
   * One-vs-rest for class {@code classId}, its score kept when among the {@code topK} highest and
   * −inf otherwise (TFMA's sub-key with both {@code class_id} and {@code top_k}).
   */
  public static Binarization classInTopK(int classId, int topK) {
    return new Binarization(Kind.CLASS_ID, classId, null, topK);
  }

  /** The class with the {@code k}-th highest score (k ≥ 1). */
  public static Binarization k(int k) {
    return new Binarization(Kind.K, k);
  }

  /** Every class, its score kept when among the {@code k} highest and −inf otherwise. */
  public static Binarization topK(int k) {
    return new Binarization(Kind.TOP_K, k);
  }

  /**
   * A micro average: every class ({@code topK} 0) or the {@code topK} highest-scoring classes,
   * pooled, each weighted by its entry in {@code classWeights} (0 when it has none; every class 1
   * when the map is empty).
   */
  public static Binarization micro(int topK, Map<Integer, Float> classWeights) {
    double[] weights = null;
    if (!classWeights.isEmpty()) {
      int size = classWeights.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
      weights = new double[size];
      for (Map.Entry<Integer, Float> w : classWeights.entrySet()) {
        weights[w.getKey()] = w.getValue();
      }
    }
    return new Binarization(Kind.MICRO, topK, weights, 0);
  }

  /**
   * The binarizations of {@code spec}'s {@code binarize}, in TFMA's order (class ids, then k, then
   * top k), then its micro averages ({@code aggregate}, one per {@code top_k_list} value); {@link
   * #NONE} alone when it has neither and no other {@code aggregate} (whose metrics are macro
   * averages over classes, not binarized ones).
   */
  public static List<Binarization> of(MetricsSpec spec) {
    List<Binarization> result = new ArrayList<>();
    if (spec.hasBinarize()) {
      spec.getBinarize().getClassIds().getValuesList().forEach(c -> result.add(classId(c)));
      spec.getBinarize().getKList().getValuesList().forEach(k -> result.add(k(k)));
      spec.getBinarize().getTopKList().getValuesList().forEach(k -> result.add(topK(k)));
    }
    AggregationOptions aggregate = spec.getAggregate();
    if (spec.hasAggregate() && aggregate.getMicroAverage()) {
      if (aggregate.getTopKList().getValuesCount() == 0) {
        result.add(micro(0, aggregate.getClassWeightsMap()));
      }
      aggregate.getTopKList().getValuesList().forEach(k -> result.add(micro(k, Map.of())));
    }
    if (result.isEmpty() && !spec.hasAggregate()) {
      result.add(NONE);
    }
    return result;
  }

  /**
   * The binarizations of a metric with its own {@code top_k} or {@code class_id} ({@code own}) in
   * {@code spec}, which has a {@code binarize}: as TFMA 0.52 merges the argument into each of the
   * spec's sub-keys, a class id with a top k makes one class among the top k ({@link
   * #classInTopK}).
   *
   * @throws IllegalArgumentException saying why TFMA refuses the combination: both set the class or
   *     the top k, or a {@code k} sub-key would take a second field
   */
  public static List<Binarization> forMetric(MetricsSpec spec, Binarization own) {
    List<Binarization> result = new ArrayList<>();
    for (Binarization b : of(spec)) {
      if (b.kind == Kind.K) {
        throw new IllegalArgumentException(
            own
                + " of a metric in a metrics_specs with binarize.k_list: a k sub-key takes no"
                + " class_id or top_k (TFMA refuses it too)");
      }
      if (b.kind == own.kind) {
        throw new IllegalArgumentException(
            own
                + " of a metric and binarize's "
                + b
                + " set the same part of the sub-key (TFMA refuses these overlapping settings"
                + " too); set it in one place");
      }
      if (b.kind == Kind.CLASS_ID && own.kind == Kind.TOP_K) {
        result.add(classInTopK(b.value, own.value));
      } else if (b.kind == Kind.TOP_K && own.kind == Kind.CLASS_ID) {
        result.add(classInTopK(own.value, b.value));
      } else {
        throw new IllegalArgumentException(own + " of a metric with binarize's " + b);
      }
    }
    return result;
  }

  /**
   * What {@code spec}'s metrics are keyed with besides their name and model, each as a key holding
   * only a sub-key and an aggregation type: its {@link #of binarizations}, then its macro averages
   * (keyed {@code macro_average} whether weighted or not, as TFMA 0.52 writes them; one per {@code
   * aggregate.top_k_list} value, else one without a sub-key).
   */
  public static List<MetricKey> keyVariants(MetricsSpec spec) {
    List<MetricKey> variants = new ArrayList<>();
    for (Binarization binarization : of(spec)) {
      variants.add(binarization.keyVariant());
    }
    AggregationOptions aggregate = spec.getAggregate();
    if (spec.hasAggregate() && !aggregate.getMicroAverage()) {
      AggregationType macro = AggregationType.newBuilder().setMacroAverage(true).build();
      if (aggregate.getTopKList().getValuesCount() == 0) {
        variants.add(MetricKey.newBuilder().setAggregationType(macro).build());
      }
      for (int k : aggregate.getTopKList().getValuesList()) {
        variants.add(
            MetricKey.newBuilder().setSubKey(topKSubKey(k)).setAggregationType(macro).build());
      }
    }
    return variants;
  }

  /** A key holding only this binarization's sub-key and aggregation type. */
  public MetricKey keyVariant() {
    MetricKey.Builder key = MetricKey.newBuilder();
    SubKey subKey = subKey();
    if (subKey != null) {
      key.setSubKey(subKey);
    }
    AggregationType aggregation = aggregationType();
    if (aggregation != null) {
      key.setAggregationType(aggregation);
    }
    return key.build();
  }

  private static SubKey topKSubKey(int k) {
    return SubKey.newBuilder().setTopK(Int32Value.of(k)).build();
  }

  /** This {@code top_k} binarization as a micro average of the top k (no class weights). */
  public Binarization asMicroAverage() {
    if (kind != Kind.TOP_K) {
      throw new IllegalStateException(this + " is not a top_k binarization");
    }
    return micro(value, Map.of());
  }

  public boolean isNone() {
    return kind == Kind.NONE;
  }

  /**
   * Whether one example becomes one binary example per class ({@link #fill}), not one ({@link
   * #classOf}).
   */
  public boolean pooled() {
    return kind == Kind.TOP_K || kind == Kind.MICRO;
  }

  /**
   * Whether the binary examples' scores are masked to the top k: a threshold-based metric's default
   * threshold is then −inf (every kept score predicted positive), as TFMA sets it for a {@code
   * top_k} sub-key.
   */
  public boolean topKSubKey() {
    return (kind == Kind.TOP_K || kind == Kind.MICRO) && value > 0 || maskTopK > 0;
  }

  /**
   * The fewest per-class scores an example must have for this binarization: one more than the class
   * id, k; 1 for {@link #NONE}.
   */
  public int classesNeeded() {
    return switch (kind) {
      case NONE -> 1;
      case CLASS_ID -> Math.max(value + 1, maskTopK);
      case K, TOP_K -> value;
      case MICRO -> Math.max(1, value);
    };
  }

  /** TFMA's {@code sub_key}; null for {@link #NONE} and a micro average over every class. */
  public SubKey subKey() {
    return switch (kind) {
      case NONE -> null;
      case CLASS_ID -> {
        SubKey.Builder key = SubKey.newBuilder().setClassId(Int32Value.of(value));
        yield maskTopK > 0 ? key.setTopK(Int32Value.of(maskTopK)).build() : key.build();
      }
      case K -> SubKey.newBuilder().setK(Int32Value.of(value)).build();
      case TOP_K -> topKSubKey(value);
      case MICRO -> value > 0 ? topKSubKey(value) : null;
    };
  }

  /** TFMA's {@code aggregation_type}: {@code micro_average} for a micro average, else null. */
  public AggregationType aggregationType() {
    return kind == Kind.MICRO ? AggregationType.newBuilder().setMicroAverage(true).build() : null;
  }

  /**
   * Fills {@code parts} with the binary examples of a {@link #pooled} binarization, as TFMA
   * flattens them, and returns how many: one per class for {@code top_k} (scores outside the top k
   * set to −inf) and for a micro average over every class (weights times the class weights), the k
   * highest-scoring classes in score order for a micro average over the top k.
   *
   * @param labels the label of each class (one-hot for a class id)
   * @param scores the score of each class
   * @param count the number of classes
   * @param weight the example's weight
   * @param parts where the binary examples are prepared; at least {@code count} long
   */
  public int fill(
      double[] labels, double[] scores, int count, double weight, PreparedExample[] parts) {
    if (kind == Kind.MICRO && value == 0) {
      for (int c = 0; c < count; c++) {
        double classWeight =
            classWeights == null ? 1.0 : c < classWeights.length ? classWeights[c] : 0.0;
        parts[c].prepare(labels[c], scores[c], weight * classWeight);
      }
      return count;
    }
    // Each class's rank among the scores (ties to the lower id), counted up to the top k.
    int kept = 0;
    for (int c = 0; c < count; c++) {
      boolean top = rankBelow(scores, count, c, value);
      if (kind == Kind.MICRO) {
        if (top) {
          parts[kept++].prepare(labels[c], scores[c], weight);
        }
      } else {
        parts[c].prepare(labels[c], top ? scores[c] : Double.NEGATIVE_INFINITY, weight);
      }
    }
    if (kind == Kind.MICRO) {
      return kept;
    }
    return count;
  }

  /** The class whose label and score the binary example takes, among {@code scores[0, count)}. */
  public int classOf(double[] scores, int count) {
    return switch (kind) {
      case NONE -> 0;
      case CLASS_ID -> value;
      case K -> kthHighest(scores, count, value);
      case TOP_K, MICRO -> throw new IllegalStateException(this + " makes one example per class");
    };
  }

  /**
   * The score of class {@code c} (from {@link #classOf}) the binary example takes: its score, or
   * −inf when this keeps only the top k and {@code c} is not among them.
   */
  public double scoreOf(double[] scores, int count, int c) {
    if (maskTopK > 0 && !rankBelow(scores, count, c, maskTopK)) {
      return Double.NEGATIVE_INFINITY;
    }
    return scores[c];
  }

  /**
   * Whether fewer than {@code k} of {@code scores[0, count)} rank before index {@code i} (higher,
   * or equal at a lower index): whether {@code i} is among the top k, as TFMA's {@code
   * top_k_indices} picks them.
   */
  private static boolean rankBelow(double[] scores, int count, int i, int k) {
    int before = 0;
    for (int j = 0; j < count && before < k; j++) {
      if (scores[j] > scores[i] || (scores[j] == scores[i] && j < i)) {
        before++;
      }
    }
    return before < k;
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
      case CLASS_ID -> "class_id " + value + (maskTopK > 0 ? " in top_k " + maskTopK : "");
      case K -> "k " + value;
      case TOP_K -> "top_k " + value;
      case MICRO -> value > 0 ? "micro average of top_k " + value : "micro average";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Binarization other
        && other.kind == kind
        && other.value == value
        && other.maskTopK == maskTopK
        && Arrays.equals(other.classWeights, classWeights);
  }

  @Override
  public int hashCode() {
    return ((kind.hashCode() * 31 + value) * 31 + maskTopK) * 31 + Arrays.hashCode(classWeights);
  }
}
