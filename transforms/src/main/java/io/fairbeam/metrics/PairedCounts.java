package io.fairbeam.metrics;

import io.fairbeam.stats.PairedDifferenceInterval;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How a candidate model's and its baseline's decisions on one slice's examples agree, at every
 * threshold of the accumulator spec: the positive and negative label weight of each pair of
 * threshold buckets (the candidate's bucket, the baseline's; a bucket is the number of thresholds
 * strictly below the prediction, as {@link ThresholdCounts} keeps it). From it, for any rate with a
 * {@link LabelShare}, the 2×2 table of the two models' decisions on the examples behind the rate,
 * which a paired interval of the change needs. One addition per example; (T + 1)² × 2 numbers for T
 * thresholds, kept only when a metric compares the models (flip rates) or a change threshold asks
 * for its confidence bound.
 */
@Internal
public final class PairedCounts {
  private final int buckets;

  /** [(candidate bucket × buckets + baseline bucket) × 2 + (0 positive, 1 negative)]. */
  private final double[] weights;

  /**
   * Σ w · 2|b − c| / |b + c| over the examples, b and c the baseline's and the candidate's
   * predictions (0 where both are below 1e-7): TFMA's symmetric prediction difference, summed.
   */
  private double symmetricDifference;

  /**
   * Σ over the examples (unweighted) of the cosine similarity of the two models' predictions, and
   * the number of examples: TFMA's {@code ModelCosineSimilarity}, summed.
   */
  private double cosineSimilarity;

  private double examples;

  /** Below this, TFMA counts two predictions as equal (its {@code _K_EPSILON}). */
  private static final double EPSILON = 1e-7;

  PairedCounts(int thresholds) {
    this.buckets = thresholds + 1;
    this.weights = new double[2 * buckets * buckets];
  }

  /** Adds one example, prepared for the candidate and for the baseline, {@code times} times. */
  void add(PreparedExample candidate, PreparedExample baseline, int times) {
    int cell = 2 * (candidate.thresholdBucket * buckets + baseline.thresholdBucket);
    weights[cell] += times * candidate.positive;
    weights[cell + 1] += times * candidate.negative;
    // In single precision, as TFMA computes it on the float32 predictions of tf.Examples.
    float base = (float) baseline.prediction;
    float other = (float) candidate.prediction;
    float numerator = 2f * Math.abs(base - other);
    float denominator = Math.abs(base + other);
    if (numerator >= EPSILON || denominator >= EPSILON) {
      symmetricDifference += times * baseline.weight * (double) (numerator / denominator);
    }
    // One score each: the dot product over the norms' product, in single precision as numpy
    // computes it on float32 predictions: ±1, or NaN when a score is 0 (TFMA's 0 / 0).
    cosineSimilarity += times * (double) ((base * other) / (Math.abs(base) * Math.abs(other)));
    examples += times;
  }

  /**
   * TFMA's model cosine similarity: the unweighted mean over the slice's examples of the cosine of
   * the two models' prediction vectors (for one score each, its sign agreement).
   */
  public double modelCosineSimilarity() {
    return examples == 0 ? Double.NaN : cosineSimilarity / examples;
  }

  /**
   * TFMA's symmetric prediction difference: the (weighted) mean over the slice's examples of 2|b −
   * c| / |b + c|.
   */
  public double symmetricPredictionDifference() {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    return symmetricDifference / total;
  }

  void merge(PairedCounts other) {
    for (int i = 0; i < weights.length; i++) {
      weights[i] += other.weights[i];
    }
    symmetricDifference += other.symmetricDifference;
    cosineSimilarity += other.cosineSimilarity;
    examples += other.examples;
  }

  /**
   * The two models' decisions on the examples behind a rate of shape {@code share} at threshold
   * {@code index} of the spec, as weights: counted by both, by the candidate alone, by the baseline
   * alone, by neither.
   */
  public PairedDifferenceInterval.Table table(int index, LabelShare share) {
    double[] cells = new double[4];
    for (int c = 0; c < buckets; c++) {
      for (int b = 0; b < buckets; b++) {
        int cell = 2 * (c * buckets + b);
        addTo(cells, c > index, b > index, share.positives(), weights[cell]);
        addTo(cells, c > index, b > index, share.negatives(), weights[cell + 1]);
      }
    }
    return new PairedDifferenceInterval.Table(cells[0], cells[1], cells[2], cells[3]);
  }

  /**
   * The two models' decisions at threshold {@code index} of the spec on all the slice's examples
   * (their weights, whatever the label), by baseline × candidate.
   */
  public FlipCounts flips(int index) {
    double[] cells =
        new double[4]; // baseline negative or positive × candidate negative or positive
    for (int c = 0; c < buckets; c++) {
      for (int b = 0; b < buckets; b++) {
        int cell = 2 * (c * buckets + b);
        cells[(b > index ? 2 : 0) + (c > index ? 1 : 0)] += weights[cell] + weights[cell + 1];
      }
    }
    return new FlipCounts(cells[0], cells[1], cells[2], cells[3]);
  }

  private static void addTo(
      double[] cells,
      boolean candidatePositive,
      boolean baselinePositive,
      LabelShare.Predicted counted,
      double weight) {
    if (counted == null || weight == 0) {
      return;
    }
    boolean positive = counted == LabelShare.Predicted.POSITIVE;
    boolean candidate = candidatePositive == positive;
    boolean baseline = baselinePositive == positive;
    cells[candidate ? (baseline ? 0 : 1) : (baseline ? 2 : 3)] += weight;
  }

  int encodedSize() {
    return 8 * (weights.length + 3);
  }

  void writeTo(ByteBuffer out) {
    for (double w : weights) {
      out.putDouble(w);
    }
    out.putDouble(symmetricDifference).putDouble(cosineSimilarity).putDouble(examples);
  }

  static PairedCounts readFrom(int thresholds, ByteBuffer in) {
    PairedCounts result = new PairedCounts(thresholds);
    for (int i = 0; i < result.weights.length; i++) {
      result.weights[i] = in.getDouble();
    }
    result.symmetricDifference = in.getDouble();
    result.cosineSimilarity = in.getDouble();
    result.examples = in.getDouble();
    return result;
  }
}
