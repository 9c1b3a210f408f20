package io.fairbeam.metrics;

import java.nio.ByteBuffer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Everything Fairbeam keeps about the examples of one slice: counts, weighted sums, exact confusion
 * counts at the configured thresholds and a sparse calibration histogram. It is mergeable (the sum
 * of two accumulators is the accumulator of the union of their examples) and its size depends on
 * the configuration, never on the number of examples.
 *
 * <p>Labels are TFMA's fractional labels: an example with label {@code l} in [0, 1] and weight
 * {@code w} counts {@code w·l} as positive and {@code w·(1 − l)} as negative.
 */
@Internal
public final class SliceAccumulator {
  private final AccumulatorSpec spec;
  private long exampleCount;
  private double weight;
  private double weightSquares;

  /**
   * The examples' own weights when they are pooled ({@link PreparedExample#parts}): {@code weight}
   * then sums their binary examples' weights, which a mean over the pooled examples divides by,
   * while the weighted example count is the examples'. Both stay 0/false for binary examples.
   */
  private double pooledWeight;

  private boolean pooled;
  private double weightedLabel;
  private double weightedPrediction;
  private final ThresholdCounts thresholdCounts;
  private final CalibrationHistogram histogram;

  /** The histograms over the spec's other label ranges, in its order; empty for none. */
  private final CalibrationHistogram[] rangeHistograms;

  /** Per feature mean of the spec: Σu·v and Σu, at 2i and 2i + 1. */
  private final double[] featureSums;

  /** Per {@link ExampleTerm} of the spec: Σw·term and Σw over the examples it does not skip. */
  private final double[] termSums;

  private final double[] termWeights;

  /** Exact counts at the spec's score thresholds, each example's score taken as its label. */
  private final ThresholdCounts scoreCounts;

  /** A multi-class model's confusion matrices, or null when the spec keeps none. */
  private final MultiClassCounts multiClassCounts;

  /** A multi-label model's confusion matrices, or null when the spec keeps none. */
  private final MultiLabelCounts multiLabelCounts;

  public SliceAccumulator(AccumulatorSpec spec) {
    this.spec = spec;
    double[] multiClassThresholds = spec.multiClassThresholdsUnsafe();
    this.multiClassCounts =
        multiClassThresholds.length > 0 ? new MultiClassCounts(multiClassThresholds) : null;
    double[] multiLabelThresholds = spec.multiLabelThresholdsUnsafe();
    this.multiLabelCounts =
        multiLabelThresholds.length > 0 ? new MultiLabelCounts(multiLabelThresholds) : null;
    double[] scoreThresholds = spec.scoreThresholdsUnsafe();
    this.scoreCounts = scoreThresholds.length > 0 ? new ThresholdCounts(scoreThresholds) : null;
    int terms = spec.termsUnsafe().length;
    this.termSums = new double[terms];
    this.termWeights = new double[terms];
    double[] thresholds = spec.thresholdsUnsafe();
    this.thresholdCounts = thresholds.length > 0 ? new ThresholdCounts(thresholds) : null;
    this.histogram = spec.histogram() ? new CalibrationHistogram(spec.histogramBuckets()) : null;
    this.featureSums = new double[2 * spec.featureMeanCount()];
    this.rangeHistograms = new CalibrationHistogram[spec.histogramRangeCount()];
    for (int r = 0; r < rangeHistograms.length; r++) {
      rangeHistograms[r] = new CalibrationHistogram(AccumulatorSpec.HISTOGRAM_BUCKETS);
    }
  }

  /**
   * This accumulator at the resolution of {@code coarser} (the same spec but for its histogram,
   * regrouped as a replicate's histogram groups it): what the replicates' metrics are compared
   * with.
   */
  public SliceAccumulator coarsened(AccumulatorSpec coarser) {
    SliceAccumulator result = new SliceAccumulator(coarser);
    result.exampleCount = exampleCount;
    result.weight = weight;
    result.weightSquares = weightSquares;
    result.pooledWeight = pooledWeight;
    result.pooled = pooled;
    result.weightedLabel = weightedLabel;
    result.weightedPrediction = weightedPrediction;
    result.addTerms(this);
    System.arraycopy(featureSums, 0, result.featureSums, 0, featureSums.length);
    if (scoreCounts != null) {
      result.scoreCounts.merge(scoreCounts);
    }
    if (multiClassCounts != null) {
      result.multiClassCounts.merge(multiClassCounts);
    }
    if (multiLabelCounts != null) {
      result.multiLabelCounts.merge(multiLabelCounts);
    }
    if (thresholdCounts != null) {
      result.thresholdCounts.merge(thresholdCounts);
    }
    if (histogram != null) {
      CalibrationHistogram regrouped = histogram.coarsened(coarser.histogramBuckets());
      result.histogram.merge(regrouped);
    }
    return result;
  }

  /** The bucket of {@code example}'s prediction in this accumulator's histogram. */
  private int histogramBucket(PreparedExample example) {
    int buckets = histogram.numBuckets();
    return buckets == AccumulatorSpec.HISTOGRAM_BUCKETS
        ? example.histogramBucket
        : CalibrationHistogram.coarsen(
            example.histogramBucket, AccumulatorSpec.HISTOGRAM_BUCKETS, buckets);
  }

  public AccumulatorSpec spec() {
    return spec;
  }

  /** Adds one example; {@code label} must lie in [0, 1]. */
  public void add(double label, double prediction, double exampleWeight) {
    PreparedExample example = new PreparedExample(spec);
    example.prepare(label, prediction, exampleWeight);
    add(example);
  }

  /**
   * Adds one example prepared under this accumulator's spec. An example that belongs to several
   * slices is prepared once (its threshold and histogram buckets found once) and added to each.
   */
  public void add(PreparedExample example) {
    if (example.parts != null) {
      addPooled(example, 1, null);
      return;
    }
    exampleCount++;
    addBinary(example);
  }

  /** Adds a binary example's sums, all but the example count. */
  private void addBinary(PreparedExample example) {
    weight += example.weight;
    weightSquares += example.weight * example.weight;
    weightedLabel += example.positive;
    weightedPrediction += example.weightedPrediction;
    if (termSums.length > 0) {
      addTerms(example, 1);
    }
    if (multiClassCounts != null && example.hasClasses) {
      multiClassCounts.add(
          example.actualClass, example.predictedClass, example.topScore, example.weight, 1);
    }
    if (multiLabelCounts != null && example.hasClasses) {
      multiLabelCounts.add(
          example.classLabels, example.classScores, example.classCount, example.weight, 1);
    }
    if (scoreCounts != null) {
      scoreCounts.addToBucket(
          example.scoreBucket, example.weightedPrediction, example.weightedScoreComplement);
    }
    if (thresholdCounts != null) {
      thresholdCounts.addToBucket(example.thresholdBucket, example.positive, example.negative);
    }
    if (histogram != null) {
      histogram.addToBucket(
          histogramBucket(example), example.weight, example.positive, example.weightedPrediction);
    }
    for (int r = 0; r < rangeHistograms.length; r++) {
      rangeHistograms[r].addToBucket(
          example.rangeBuckets[r], example.weight, example.positive, example.weightedPrediction);
    }
    addFeatureMeans(example, 1);
  }

  private void addFeatureMeans(PreparedExample example, int multiplicity) {
    for (int i = 0; i < example.meanWeights.length; i++) {
      double u = example.meanWeights[i];
      if (u != 0) {
        featureSums[2 * i] += multiplicity * u * example.meanValues[i];
        featureSums[2 * i + 1] += multiplicity * u;
      }
    }
  }

  /**
   * Adds {@code example} {@code multiplicity} times (a bootstrap replicate's Poisson weight), as
   * that many copies of it would.
   */
  public void add(PreparedExample example, int multiplicity) {
    add(example, multiplicity, null);
  }

  /**
   * As {@link #add(PreparedExample, int)}, with the histogram update held in {@code deferred}
   * (applied at once when null).
   */
  void add(PreparedExample example, int multiplicity, HistogramUpdates deferred) {
    if (example.parts != null) {
      addPooled(example, multiplicity, deferred);
      return;
    }
    if (multiplicity == 1 && deferred == null) {
      add(example);
      return;
    }
    exampleCount += multiplicity;
    addBinary(example, multiplicity, deferred);
  }

  /**
   * Adds a pooled example {@code multiplicity} times: it counts as one example of its own weight,
   * and each of its binary examples adds to the sums.
   */
  private void addPooled(PreparedExample example, int multiplicity, HistogramUpdates deferred) {
    exampleCount += multiplicity;
    pooledWeight += multiplicity * example.weight;
    pooled = true;
    for (int i = 0; i < example.partCount; i++) {
      PreparedExample part = example.parts[i];
      if (multiplicity == 1 && deferred == null) {
        addBinary(part);
      } else {
        addBinary(part, multiplicity, deferred);
      }
    }
  }

  /** Adds a binary example's sums {@code multiplicity} times, all but the example count. */
  private void addBinary(PreparedExample example, int multiplicity, HistogramUpdates deferred) {
    weight += multiplicity * example.weight;
    weightSquares += multiplicity * example.weight * example.weight;
    weightedLabel += multiplicity * example.positive;
    weightedPrediction += multiplicity * example.weightedPrediction;
    if (termSums.length > 0) {
      addTerms(example, multiplicity);
    }
    if (multiClassCounts != null && example.hasClasses) {
      multiClassCounts.add(
          example.actualClass,
          example.predictedClass,
          example.topScore,
          multiplicity * example.weight,
          multiplicity);
    }
    if (multiLabelCounts != null && example.hasClasses) {
      multiLabelCounts.add(
          example.classLabels,
          example.classScores,
          example.classCount,
          example.weight,
          multiplicity);
    }
    if (scoreCounts != null) {
      scoreCounts.addToBucket(
          example.scoreBucket,
          multiplicity * example.weightedPrediction,
          multiplicity * example.weightedScoreComplement);
    }
    if (thresholdCounts != null) {
      thresholdCounts.addToBucket(
          example.thresholdBucket,
          multiplicity * example.positive,
          multiplicity * example.negative);
    }
    addFeatureMeans(example, multiplicity);
    for (int r = 0; r < rangeHistograms.length; r++) {
      rangeHistograms[r].addToBucket(
          example.rangeBuckets[r],
          multiplicity * example.weight,
          multiplicity * example.positive,
          multiplicity * example.weightedPrediction);
    }
    if (histogram == null) {
      return;
    }
    int bucket = histogramBucket(example);
    double weightAdded = multiplicity * example.weight;
    double positiveAdded = multiplicity * example.positive;
    double predictionAdded = multiplicity * example.weightedPrediction;
    if (deferred != null) {
      deferred.add(histogram, bucket, weightAdded, positiveAdded, predictionAdded);
    } else {
      histogram.addToBucket(bucket, weightAdded, positiveAdded, predictionAdded);
    }
  }

  private void addTerms(PreparedExample example, int multiplicity) {
    ExampleTerm[] terms = spec.termsUnsafe();
    for (int i = 0; i < termSums.length; i++) {
      double value = example.termValues[i];
      if (Double.isNaN(value) && terms[i].skipsNaN()) {
        continue;
      }
      termSums[i] += multiplicity * example.weight * value;
      termWeights[i] += multiplicity * example.weight;
    }
  }

  private void addTerms(SliceAccumulator other) {
    for (int i = 0; i < termSums.length; i++) {
      termSums[i] += other.termSums[i];
      termWeights[i] += other.termWeights[i];
    }
  }

  /** Adds the examples of {@code other}, which must share this accumulator's spec. */
  public void merge(SliceAccumulator other) {
    if (!spec.equals(other.spec)) {
      throw new IllegalArgumentException("Cannot merge accumulators of different specs");
    }
    exampleCount += other.exampleCount;
    weight += other.weight;
    weightSquares += other.weightSquares;
    pooledWeight += other.pooledWeight;
    pooled |= other.pooled;
    weightedLabel += other.weightedLabel;
    weightedPrediction += other.weightedPrediction;
    addTerms(other);
    if (scoreCounts != null) {
      scoreCounts.merge(other.scoreCounts);
    }
    if (multiClassCounts != null) {
      multiClassCounts.merge(other.multiClassCounts);
    }
    if (multiLabelCounts != null) {
      multiLabelCounts.merge(other.multiLabelCounts);
    }
    if (thresholdCounts != null) {
      thresholdCounts.merge(other.thresholdCounts);
    }
    if (histogram != null) {
      histogram.merge(other.histogram);
    }
    for (int r = 0; r < rangeHistograms.length; r++) {
      rangeHistograms[r].merge(other.rangeHistograms[r]);
    }
    for (int i = 0; i < featureSums.length; i++) {
      featureSums[i] += other.featureSums[i];
    }
  }

  /** Σu·v over the examples of feature mean {@code i} (u its weight, v its value). */
  public double featureMeanSum(int i) {
    return featureSums[2 * i];
  }

  /** Σu over the examples of feature mean {@code i}. */
  public double featureMeanWeight(int i) {
    return featureSums[2 * i + 1];
  }

  /** Number of examples, unweighted. */
  public long exampleCount() {
    return exampleCount;
  }

  /**
   * Sum of the binary examples' weights (the example count when unweighted): for pooled examples,
   * of the weights of the binary examples each was flattened into.
   */
  public double weightedExampleCount() {
    return weight;
  }

  /**
   * Sum of the examples' own weights, as TFMA's {@code WeightedExampleCount} sums them: {@link
   * #weightedExampleCount} but for pooled examples, which count once.
   */
  public double exampleWeightSum() {
    return pooled ? pooledWeight : weight;
  }

  /**
   * Sum of squared example weights (the example count when unweighted): with {@link
   * #weightedExampleCount()} it gives Kish's effective sample size, {@code (Σw)² / Σw²}.
   */
  public double weightSquareSum() {
    return weightSquares;
  }

  /** Sum of weight·label. */
  public double weightedLabelSum() {
    return weightedLabel;
  }

  /** Sum of weight·prediction. */
  public double weightedPredictionSum() {
    return weightedPrediction;
  }

  /** Σw·term over the examples {@code term} does not skip; {@code term} must be in the spec. */
  public double termSum(ExampleTerm term) {
    return termSums[termIndex(term)];
  }

  /** Σw over the examples {@code term} does not skip; {@code term} must be in the spec. */
  public double termWeight(ExampleTerm term) {
    return termWeights[termIndex(term)];
  }

  private int termIndex(ExampleTerm term) {
    int index = spec.termIndex(term);
    if (index < 0) {
      throw new IllegalStateException("Term " + term + " was not accumulated");
    }
    return index;
  }

  /** Exact counts at the spec's score thresholds (score as label), or null when it has none. */
  public ThresholdCounts scoreCounts() {
    return scoreCounts;
  }

  /** A multi-class model's confusion matrices, or null when the spec keeps none. */
  public MultiClassCounts multiClassCounts() {
    return multiClassCounts;
  }

  /** A multi-label model's confusion matrices, or null when the spec keeps none. */
  public MultiLabelCounts multiLabelCounts() {
    return multiLabelCounts;
  }

  /** Exact counts at the spec's thresholds, or null when the spec has none. */
  public ThresholdCounts thresholdCounts() {
    return thresholdCounts;
  }

  /**
   * The 10,000-bucket calibration histogram over [{@code left}, {@code right}]: the one over [0, 1]
   * ({@link #histogram}), or one the spec keeps for another label range; null when it keeps none.
   */
  public CalibrationHistogram histogram(double left, double right) {
    if (left == 0.0 && right == 1.0) {
      return histogram;
    }
    int range = spec.histogramRange(left, right);
    return range < 0 || range >= rangeHistograms.length ? null : rangeHistograms[range];
  }

  /** The 10,000-bucket calibration histogram, or null when the spec does not require it. */
  public CalibrationHistogram histogram() {
    return histogram;
  }

  /**
   * Encodes this accumulator; {@link #fromBytes} with the same spec decodes it. Written in one pass
   * into one array (the histogram in bulk when dense), because runners encode accumulators often.
   */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(encodedSize());
    writeTo(out);
    return out.array();
  }

  /** The number of bytes {@link #writeTo} writes. */
  int encodedSize() {
    return 8
        + 5 * 8
        + 1
        + 2 * 8 * termSums.length
        + 8 * featureSums.length
        + (scoreCounts == null ? 0 : scoreCounts.encodedSize())
        + (multiClassCounts == null ? 0 : multiClassCounts.encodedSize())
        + (multiLabelCounts == null ? 0 : multiLabelCounts.encodedSize())
        + (thresholdCounts == null ? 0 : thresholdCounts.encodedSize())
        + (histogram == null ? 0 : histogram.encodedSize())
        + java.util.Arrays.stream(rangeHistograms)
            .mapToInt(CalibrationHistogram::encodedSize)
            .sum();
  }

  /** Writes the encoding of {@link #toBytes} at the buffer's position. */
  void writeTo(ByteBuffer out) {
    out.putLong(exampleCount)
        .putDouble(weight)
        .putDouble(weightSquares)
        .putDouble(pooledWeight)
        .put((byte) (pooled ? 1 : 0))
        .putDouble(weightedLabel)
        .putDouble(weightedPrediction);
    for (int i = 0; i < termSums.length; i++) {
      out.putDouble(termSums[i]).putDouble(termWeights[i]);
    }
    for (double sum : featureSums) {
      out.putDouble(sum);
    }
    if (scoreCounts != null) {
      scoreCounts.writeTo(out);
    }
    if (multiClassCounts != null) {
      multiClassCounts.writeTo(out);
    }
    if (multiLabelCounts != null) {
      multiLabelCounts.writeTo(out);
    }
    if (thresholdCounts != null) {
      thresholdCounts.writeTo(out);
    }
    if (histogram != null) {
      histogram.writeTo(out);
    }
    for (CalibrationHistogram range : rangeHistograms) {
      range.writeTo(out);
    }
  }

  /** Decodes an accumulator encoded by {@link #toBytes} under the same spec. */
  public static SliceAccumulator fromBytes(AccumulatorSpec spec, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    SliceAccumulator result = readFrom(spec, in);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("encoded accumulator does not match its spec");
    }
    return result;
  }

  /** Reads one accumulator written by {@link #writeTo} from the buffer's position. */
  static SliceAccumulator readFrom(AccumulatorSpec spec, ByteBuffer in) {
    SliceAccumulator result = new SliceAccumulator(spec);
    result.exampleCount = in.getLong();
    result.weight = in.getDouble();
    result.weightSquares = in.getDouble();
    result.pooledWeight = in.getDouble();
    result.pooled = in.get() != 0;
    result.weightedLabel = in.getDouble();
    result.weightedPrediction = in.getDouble();
    for (int i = 0; i < result.termSums.length; i++) {
      result.termSums[i] = in.getDouble();
      result.termWeights[i] = in.getDouble();
    }
    for (int i = 0; i < result.featureSums.length; i++) {
      result.featureSums[i] = in.getDouble();
    }
    if (result.scoreCounts != null) {
      result.scoreCounts.readFrom(in);
    }
    if (result.multiClassCounts != null) {
      result.multiClassCounts.readFrom(in);
    }
    if (result.multiLabelCounts != null) {
      result.multiLabelCounts.readFrom(in);
    }
    if (result.thresholdCounts != null) {
      result.thresholdCounts.readFrom(in);
    }
    if (result.histogram != null) {
      result.histogram.readFrom(in);
    }
    for (CalibrationHistogram range : result.rangeHistograms) {
      range.readFrom(in);
    }
    return result;
  }
}
