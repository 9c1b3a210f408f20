package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * One example's contribution to a {@link SliceAccumulator}, computed once and added to every slice
 * the example belongs to: its weights, the threshold and histogram buckets of its prediction, and
 * the values of the spec's {@link ExampleTerm}s. Reused from example to example.
 */
@Internal
public final class PreparedExample {
  private final ThresholdCounts thresholdLayout;
  private final CalibrationHistogram histogramLayout;
  double weight;
  double positive;
  double negative;
  double weightedPrediction;
  double prediction;
  int thresholdBucket;
  int histogramBucket;

  /** The bucket of the prediction in each histogram over another label range; null for none. */
  final int[] rangeBuckets;

  /**
   * The example's value and weight for each of the spec's feature means ({@link
   * AccumulatorSpec#featureMean}), set by {@link #prepareFeatureMeans}; weight 0 leaves it out.
   */
  final double[] meanValues;

  final double[] meanWeights;

  int scoreBucket;

  /**
   * w·(1 − score), the subtraction in single precision: the example's negative weight with its
   * score as its label, as TFMA's {@code ScoreDistributionPlot} computes it.
   */
  double weightedScoreComplement;

  /**
   * A multi-class model's example: its actual class (−1 for none), its top-scoring class and that
   * score, for {@link MultiClassCounts}; {@code hasClasses} false for a binary example.
   */
  boolean hasClasses;

  int actualClass;
  int predictedClass;
  double topScore;

  /**
   * The example's label and score for each of its {@code classCount} classes, for {@link
   * MultiLabelCounts}: the reader's arrays, valid until the next example is read.
   */
  double[] classLabels;

  double[] classScores;
  int classCount;

  /**
   * A pooled example's binary examples (TFMA's flattened ones, {@link Binarization#pooled}), of
   * which the first {@code partCount} are in use; null for an example that is itself binary. The
   * example counts once, with its own {@code weight}, in the example counts.
   */
  PreparedExample[] parts;

  int partCount;

  private final AccumulatorSpec spec;
  private final ThresholdCounts scoreLayout;
  private final ExampleTerm[] terms;

  /** Each term's value for this example (NaN where a term leaves the example out). */
  final double[] termValues;

  public PreparedExample(AccumulatorSpec spec) {
    this.spec = spec;
    this.terms = spec.termsUnsafe();
    double[] scoreThresholds = spec.scoreThresholdsUnsafe();
    this.scoreLayout = scoreThresholds.length > 0 ? new ThresholdCounts(scoreThresholds) : null;
    this.termValues = new double[terms.length];
    double[] thresholds = spec.thresholdsUnsafe();
    this.thresholdLayout = thresholds.length > 0 ? new ThresholdCounts(thresholds) : null;
    this.histogramLayout =
        spec.histogram() ? new CalibrationHistogram(AccumulatorSpec.HISTOGRAM_BUCKETS) : null;
    this.rangeBuckets = spec.histogramRangeCount() > 0 ? new int[spec.histogramRangeCount()] : null;
    this.meanValues = new double[spec.featureMeanCount()];
    this.meanWeights = new double[spec.featureMeanCount()];
  }

  /** Prepares an example: {@code label} in [0, 1], any prediction, its weight. */
  public void prepare(double label, double prediction, double exampleWeight) {
    weight = exampleWeight;
    positive = exampleWeight * label;
    negative = label == 1.0 ? 0.0 : exampleWeight * (1.0 - label);
    weightedPrediction = exampleWeight * prediction;
    this.prediction = prediction;
    if (thresholdLayout != null) {
      thresholdBucket = thresholdLayout.bucketOf(prediction);
    }
    if (histogramLayout != null) {
      histogramBucket = histogramLayout.bucketOf(prediction);
    }
    if (rangeBuckets != null) {
      for (int r = 0; r < rangeBuckets.length; r++) {
        rangeBuckets[r] =
            CalibrationHistogram.bucketOf(
                prediction,
                AccumulatorSpec.HISTOGRAM_BUCKETS,
                spec.rangeLeft(r),
                spec.rangeRight(r));
      }
    }
    if (scoreLayout != null) {
      scoreBucket = scoreLayout.bucketOf(prediction);
      // In single precision, as TFMA subtracts a float32 score (taken as the label) from 1.
      weightedScoreComplement = exampleWeight * (double) (1.0f - (float) prediction);
    }
    for (int i = 0; i < terms.length; i++) {
      termValues[i] = terms[i].of(label, prediction);
    }
    hasClasses = false;
  }

  /**
   * Sets the example's value and weight for feature mean {@code i}; an example whose means are not
   * set adds nothing to them (weight 0).
   */
  public void prepareFeatureMean(int i, double value, double weight) {
    meanValues[i] = value;
    meanWeights[i] = weight;
  }

  /**
   * The binary examples of a pooled example, at least {@code count} of them, to be {@link
   * #prepare}d and then given to {@link #preparePooled}; this example becomes a pooled one.
   */
  public PreparedExample[] parts(int count) {
    if (parts == null || parts.length < count) {
      PreparedExample[] grown = new PreparedExample[count];
      int kept = parts == null ? 0 : parts.length;
      if (kept > 0) {
        System.arraycopy(parts, 0, grown, 0, kept);
      }
      for (int i = kept; i < count; i++) {
        grown[i] = new PreparedExample(spec);
      }
      parts = grown;
    }
    return parts;
  }

  /**
   * Prepares a pooled example of weight {@code exampleWeight} whose first {@code count} {@link
   * #parts} were just prepared.
   */
  public void preparePooled(int count, double exampleWeight) {
    partCount = count;
    weight = exampleWeight;
    hasClasses = false;
  }

  /**
   * Adds a multi-class example's classes to the binary example just {@link #prepare}d: its actual
   * class (−1 for none), the class its top score went to, and that score; its label and score for
   * each of the {@code count} classes give the {@link ClassTerm}s.
   */
  public void prepareClasses(
      int actual, int predicted, double top, double[] labels, double[] scores, int count) {
    hasClasses = true;
    actualClass = actual;
    predictedClass = predicted;
    topScore = top;
    classLabels = labels;
    classScores = scores;
    classCount = count;
    for (int i = 0; i < terms.length; i++) {
      if (terms[i] instanceof ClassTerm term) {
        termValues[i] = term.ofClasses(actual, labels, scores, count);
      }
    }
  }
}
