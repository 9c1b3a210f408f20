package io.fairbeam.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.PlotData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * TFMA's operating-point metrics, MaxRecall, the regression errors, cross entropy, r² and Tjur's
 * coefficients, each against values worked out by hand or by a second algorithm.
 */
public class CatalogueMetricsTest {
  /**
   * TFMA 0.52's {@code confusion_matrix_metrics_test.testConfusionMatrixMetrics}: ten examples of
   * weight 1, positives scored 0.6, 0.1, 0.2, 0.3, 0.4 and negatives 0.3, 0.2, 0.6, 0.7, 0.8.
   */
  private static final double[][] TFMA_EXAMPLES = {
    {1, 0.6}, {0, 0.3}, {0, 0.2}, {0, 0.6}, {0, 0.7}, {0, 0.8}, {1, 0.1}, {1, 0.2}, {1, 0.3},
    {1, 0.4}
  };

  @Test
  public void operatingPointsMatchTfmasOwnVectors() {
    // Worked by hand (an example is predicted positive when its score exceeds the threshold):
    // - specificity at sensitivity 0.5: recall >= 0.5 needs three positives above t, so t < 0.3;
    //   there only the negative at 0.2 lies at or below t: specificity 1/5.
    // - sensitivity at specificity 0.5: three negatives at or below t need t >= 0.6; no positive
    //   lies above 0.6: 0.
    // - precision at recall 0.5: t < 0.3; precision grows as t falls, to 5/10 below 0.1.
    // - recall at precision 0.5: only below 0.1 is precision 0.5; recall there is 1.
    // - recall at false positive rate 0.6: at most three negatives above t needs t >= 0.3; two
    //   positives (0.6, 0.4) lie above: 0.4.
    // - threshold at recall 0.5: the largest interpolated threshold below 0.3, 2999/9999.
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("SpecificityAtSensitivity|{\"sensitivity\": 0.5}", 0.2);
    expected.put("SensitivityAtSpecificity|{\"specificity\": 0.5}", 0.0);
    expected.put("PrecisionAtRecall|{\"recall\": 0.5}", 0.5);
    expected.put("RecallAtPrecision|{\"precision\": 0.5}", 1.0);
    expected.put("RecallAtFalsePositiveRate|{\"false_positive_rate\": 0.6}", 0.4);
    expected.put("ThresholdAtRecall|{\"recall\": 0.5}", 2999.0 / 9999);
    for (Map.Entry<String, Double> entry : expected.entrySet()) {
      String[] parts = entry.getKey().split("\\|");
      MetricValue value = compute(parts[0], parts[1], TFMA_EXAMPLES).get(0);
      assertTrue(entry.getKey(), value.hasDoubleValue());
      assertEquals(entry.getKey(), entry.getValue(), value.getDoubleValue().getValue(), 1e-12);
    }
  }

  @Test
  public void aListOfTargetsGivesAnArrayAndExplicitThresholdsAreExact() {
    // At thresholds 0.25 and 0.5: recall 3/5 (precision 3/7) and 1/5 (precision 1/3).
    MetricValue value =
        compute(
                "PrecisionAtRecall",
                "{\"recall\": [0.2, 0.6, 0.9], \"thresholds\": [0.25, 0.5]}",
                TFMA_EXAMPLES)
            .get(0);
    assertEquals(List.of(3.0 / 7, 3.0 / 7, 0.0), value.getArrayValue().getFloat64ValuesList());
  }

  @Test
  public void nanRatesAreNeverFeasibleAndNoFeasibleThresholdGivesZero() {
    // One negative example: recall is 0/0 at every threshold, so no threshold meets a recall target
    // (TFMA returns 0), and specificity at sensitivity 0 finds none either.
    double[][] oneNegative = {{0, 0.4}};
    assertEquals(0.0, scalar("PrecisionAtRecall", "{\"recall\": 0.0}", oneNegative), 0);
    assertEquals(0.0, scalar("SpecificityAtSensitivity", "{\"sensitivity\": 0}", oneNegative), 0);
    // Specificity is defined; recall is NaN wherever specificity is met, and NaN is ignored by
    // TFMA's nanmax, which then has nothing: NaN.
    assertTrue(
        Double.isNaN(scalar("SensitivityAtSpecificity", "{\"specificity\": 0.5}", oneNegative)));
  }

  @Test
  public void targetsOutsideTheUnitIntervalAreRefusedWhereTfmaRefusesThem() {
    MetricConfigException e =
        assertThrows(
            MetricConfigException.class,
            () -> MetricRegistry.create("RecallAtPrecision", "{\"precision\": 1.5}", false));
    assertThat(e.getMessage(), containsString("precision"));
    assertThrows(
        MetricConfigException.class, () -> MetricRegistry.create("ThresholdAtRecall", "", false));
    // TFMA does not check the two sensitivity metrics' targets; neither does Fairbeam.
    assertEquals(0.0, scalar("SensitivityAtSpecificity", "{\"specificity\": 2}", TFMA_EXAMPLES), 0);
    // Only PrecisionAtRecall and ThresholdAtRecall take explicit thresholds in TFMA.
    assertThrows(
        MetricConfigException.class,
        () ->
            MetricRegistry.create(
                "RecallAtPrecision", "{\"precision\": 0.5, \"thresholds\": [0.5]}", false));
  }

  @Test
  public void maxRecallIsRecallAboveAlmostZero() {
    // Every positive scores above 1e-12 but one at exactly 0.
    double[][] examples = {{1, 0.0}, {1, 1e-9}, {1, 0.5}, {0, 0.3}};
    assertEquals(2.0 / 3, scalar("MaxRecall", "", examples), 1e-15);
  }

  @Test
  public void regressionErrorsAreWeightedMeansLeavingOutNanTerms() {
    // (label, prediction, weight)
    double[][] examples = {{1, 0.8, 2}, {0, 0.4, 1}, {1, 0.1, 1}};
    double w = 4;
    assertEquals((2 * 0.2 + 0.4 + 0.9) / w, scalar("MeanAbsoluteError", "", examples), 1e-12);
    assertEquals((2 * 0.04 + 0.16 + 0.81) / w, scalar("MeanSquaredError", "", examples), 1e-12);
    // The label-0 example has no percentage error and is left out with its weight.
    assertEquals((2 * 20.0 + 90.0) / 3, scalar("MeanAbsolutePercentageError", "", examples), 1e-12);
    double log2 = Math.log(2);
    double msle =
        (2 * sq(log2 - Math.log(1.8)) + sq(-Math.log(1.4)) + sq(log2 - Math.log(1.1))) / w;
    assertEquals(msle, scalar("MeanSquaredLogarithmicError", "", examples), 1e-12);
  }

  @Test
  public void crossEntropyFollowsTfmasFormula() {
    double[][] examples = {{1, 0.8, 2}, {0, 0.4, 1}, {1, 0.1, 1}};
    double plain = (-2 * Math.log(0.8) - Math.log(0.6) - Math.log(0.1)) / 4;
    assertEquals(plain, scalar("BinaryCrossEntropy", "", examples), 1e-12);
    // Smoothing 0.2 moves the targets to 0.9 and 0.1.
    double smoothed = (2 * bce(0.9, 0.8) + bce(0.1, 0.4) + bce(0.9, 0.1)) / 4;
    assertEquals(
        smoothed, scalar("BinaryCrossEntropy", "{\"label_smoothing\": 0.2}", examples), 1e-12);
    // From logits: the cross entropy of sigmoid(x), written without overflow.
    double logits = (2 * bce(1, sigmoid(0.8)) + bce(0, sigmoid(0.4)) + bce(1, sigmoid(0.1))) / 4;
    assertEquals(logits, scalar("BinaryCrossEntropy", "{\"from_logits\": true}", examples), 1e-12);
    // A score of 0 for a negative: 0 · log 0 is NaN in numpy and in Java, as in TFMA.
    assertTrue(Double.isNaN(scalar("BinaryCrossEntropy", "", new double[][] {{0, 0, 1}})));
    assertEquals(
        Double.POSITIVE_INFINITY,
        scalar("BinaryCrossEntropy", "{\"label_smoothing\": 0.1}", new double[][] {{0, 0, 1}}),
        0);
  }

  @Test
  public void squaredPearsonCorrelationMatchesATwoPassComputation() {
    Random random = new Random(3);
    double[][] examples = new double[500][];
    for (int i = 0; i < examples.length; i++) {
      double label = random.nextInt(2);
      examples[i] =
          new double[] {
            label,
            Math.min(1, Math.max(0, 0.3 + 0.4 * label + random.nextGaussian() * 0.2)),
            1 + random.nextInt(3)
          };
    }
    // Weighted means first, then the centred sums.
    double w = 0;
    double my = 0;
    double mp = 0;
    for (double[] e : examples) {
      w += e[2];
      my += e[2] * e[0];
      mp += e[2] * e[1];
    }
    my /= w;
    mp /= w;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] e : examples) {
      sxy += e[2] * (e[0] - my) * (e[1] - mp);
      sxx += e[2] * (e[0] - my) * (e[0] - my);
      syy += e[2] * (e[1] - mp) * (e[1] - mp);
    }
    assertEquals(sxy * sxy / (sxx * syy), scalar("SquaredPearsonCorrelation", "", examples), 1e-12);
    // A constant prediction has no correlation: NaN, as in TFMA.
    assertTrue(
        Double.isNaN(
            scalar("SquaredPearsonCorrelation", "", new double[][] {{1, 0.5, 1}, {0, 0.5, 1}})));
  }

  @Test
  public void tjurCoefficientsAreTheGapAndRatioOfMeanPredictions() {
    // Positives weigh 3 with mean prediction (2·0.8 + 0.1)/3; negatives weigh 1 with 0.4.
    double[][] examples = {{1, 0.8, 2}, {0, 0.4, 1}, {1, 0.1, 1}};
    double positives = (2 * 0.8 + 0.1) / 3;
    assertEquals(positives - 0.4, scalar("CoefficientOfDiscrimination", "", examples), 1e-12);
    assertEquals(
        positives / 0.4, scalar("RelativeCoefficientOfDiscrimination", "", examples), 1e-12);
    double[][] onlyPositives = {{1, 0.8, 1}};
    assertTrue(Double.isNaN(scalar("CoefficientOfDiscrimination", "", onlyPositives)));
    double[][] negativesAtZero = {{1, 0.8, 1}, {0, 0.0, 1}};
    assertEquals(0.8, scalar("CoefficientOfDiscrimination", "", negativesAtZero), 1e-12);
    assertTrue(Double.isNaN(scalar("RelativeCoefficientOfDiscrimination", "", negativesAtZero)));
  }

  @Test
  public void kerasMetricsFollowKerasDefinitions() {
    // (label, prediction, weight); by hand from tf_keras' losses.py and metrics.
    double[][] examples = {{1, 0.8, 2}, {0, 0.4, 1}, {1, 0.0, 1}};
    // Hinge: labels 0/1 become -1/1; max(1 - y·p, 0): 0.2, 1.4, 1.
    assertEquals((2 * 0.2 + 1.4 + 1) / 4, scalar("Hinge", "", examples), 1e-12);
    assertEquals((2 * 0.04 + 1.96 + 1) / 4, scalar("SquaredHinge", "", examples), 1e-12);
    assertEquals(
        Math.sqrt((2 * 0.04 + 0.16 + 1) / 4), scalar("RootMeanSquaredError", "", examples), 1e-12);
    double logCosh =
        (2 * Math.log(Math.cosh(-0.2)) + Math.log(Math.cosh(0.4)) + Math.log(Math.cosh(-1))) / 4;
    assertEquals(logCosh, scalar("LogCoshError", "", examples), 1e-12);
    double poisson = (2 * (0.8 - Math.log(0.8 + 1e-7)) + 0.4 + (0 - Math.log(1e-7))) / 4;
    assertEquals(poisson, scalar("Poisson", "", examples), 1e-12);
    // KL divergence clips both to [1e-7, 1]: the label-0 example adds 1e-7·log(1e-7 / 0.4).
    double kl = (2 * Math.log(1 / 0.8) + 1e-7 * Math.log(1e-7 / 0.4) + Math.log(1 / 1e-7)) / 4;
    assertEquals(kl, scalar("KLDivergence", "", examples), 1e-12);
    // Cosine similarity of one-element vectors: 1 for a positive label and score, 0 for a zero.
    assertEquals(2.0 / 4, scalar("CosineSimilarity", "", examples), 1e-12);
    // Accuracy: the score equal to the label.
    assertEquals(0.0, scalar("Accuracy", "", examples), 0);
    assertEquals(0.5, scalar("Accuracy", "", new double[][] {{1, 1}, {0, 0.5}}), 0);
    // Keras' cross entropy clips the score: a score of 0 for a positive costs -log(2e-7), finite.
    double kerasBce = (-2 * Math.log(0.8 + 1e-7) - Math.log(0.6 + 1e-7) - Math.log(2e-7)) / 4;
    assertEquals(kerasBce, scalar("BinaryCrossentropy", "", examples), 1e-9);
    assertThrows(
        MetricConfigException.class,
        () -> MetricRegistry.create("Hinge", "{\"dtype\": \"float64\"}", false));
    assertThrows(
        MetricConfigException.class,
        () -> MetricRegistry.create("CosineSimilarity", "{\"axis\": 0}", false));
  }

  @Test
  public void scoreDistributionCountsTheWeightAtOrBelowEachThreshold() {
    // Scores 0.2 (weight 1), 0.5 (weight 2) and 0.9 (weight 1); thresholds -1e-6, 0, 0.5, 1.
    MetricDefinition plot =
        MetricRegistry.create("ScoreDistributionPlot", "{\"num_thresholds\": 2}", true);
    List<PlotData> plots =
        RecordingSink.compute(plot, new double[][] {{1, 0.2, 1}, {0, 0.5, 2}, {1, 0.9, 1}}).plots;
    var matrices = plots.get(0).getConfusionMatrixAtThresholds().getMatricesList();
    double[] atOrBelow = {0, 0, 3, 4};
    for (int i = 0; i < 4; i++) {
      assertEquals(atOrBelow[i], matrices.get(i).getTrueNegatives(), 1e-6);
      assertEquals(4 - atOrBelow[i], matrices.get(i).getTruePositives(), 1e-6);
      assertEquals(0, matrices.get(i).getFalseNegatives(), 0);
      assertEquals(0, matrices.get(i).getFalsePositives(), 0);
      assertEquals(0, matrices.get(i).getPrecision(), 0);
      assertEquals(0, matrices.get(i).getRecall(), 0);
    }
    // Accuracy keeps TFMA's score-as-label value: at 0.5, TP 0.9 and TN 0.8 + 1.0 of 4.
    assertEquals((0.9 + 1.8) / 4, matrices.get(2).getAccuracy(), 1e-7);
  }

  @Test
  public void calibrationPlotOverALabelRangeBucketsTheRawPredictions() {
    // Four buckets over [0, 100] (width 25) plus the catch-alls below 0 and from 100 up.
    // (label, prediction, weight): 10 → [0, 25); 30 and 49.9 → [25, 50); 100 → from 100; -5 →
    // below.
    MetricDefinition plot =
        MetricRegistry.create(
            "CalibrationPlot", "{\"num_buckets\": 4, \"left\": 0, \"right\": 100}", true);
    assertEquals(false, plot.needsBinaryLabels());
    double[][] examples = {{12, 10, 1}, {35, 30, 2}, {40, 49.9, 1}, {90, 100, 1}, {0, -5, 3}};
    var buckets =
        RecordingSink.compute(plot, examples)
            .plots
            .get(0)
            .getCalibrationHistogramBuckets()
            .getBucketsList();
    assertEquals(6, buckets.size());
    double[] lower = {Double.NEGATIVE_INFINITY, 0, 25, 50, 75, 100};
    double[] weight = {3, 1, 3, 0, 0, 1};
    double[] labels = {0, 12, 2 * 35 + 40, 0, 0, 90};
    double[] predictions = {-15, 10, 2 * 30 + 49.9, 0, 0, 100};
    for (int i = 0; i < 6; i++) {
      assertEquals(lower[i], buckets.get(i).getLowerThresholdInclusive(), 0);
      assertEquals(weight[i], buckets.get(i).getNumWeightedExamples().getValue(), 0);
      assertEquals(labels[i], buckets.get(i).getTotalWeightedLabel().getValue(), 1e-9);
      assertEquals(
          predictions[i], buckets.get(i).getTotalWeightedRefinedPrediction().getValue(), 1e-9);
    }
    assertThrows(
        MetricConfigException.class,
        () -> MetricRegistry.create("CalibrationPlot", "{\"left\": 1, \"right\": 0}", true));
  }

  @Test
  public void modelCosineSimilarityIsTheMeanSignAgreementOfOneScoreEach() {
    AccumulatorSpec spec = AccumulatorSpec.builder().addThresholds(List.of(0.5)).build();
    PairedCounts paired = new PairedCounts(1);
    PreparedExample candidate = new PreparedExample(spec);
    PreparedExample baseline = new PreparedExample(spec);
    // (candidate, baseline, weight): same sign twice (once counted twice), opposite once; the
    // weights do not count, as in TFMA.
    double[][] pairs = {{0.3, 0.6, 5}, {-0.2, 0.5, 1}, {0.4, 0.4, 1}};
    int[] times = {1, 1, 2};
    for (int i = 0; i < pairs.length; i++) {
      candidate.prepare(1, pairs[i][0], pairs[i][2]);
      baseline.prepare(1, pairs[i][1], pairs[i][2]);
      paired.add(candidate, baseline, times[i]);
    }
    assertEquals((1 - 1 + 2) / 4.0, paired.modelCosineSimilarity(), 1e-15);
    assertThrows(
        MetricConfigException.class,
        () -> MetricRegistry.create("ModelCosineSimilarity", "", true));
    RecordingSink sink = new RecordingSink();
    MetricRegistry.create("ModelCosineSimilarity", "", false)
        .compare(paired, new double[] {0.5}, sink);
    assertEquals(List.of("model_cosine_similarity"), sink.metricNames);
    assertEquals(List.of(false), sink.weighted);
    assertEquals(0.5, sink.metrics.get(0).getDoubleValue().getValue(), 1e-15);
    // A score of 0 has no direction: 0 / 0, NaN, as numpy gives.
    candidate.prepare(1, 0.0, 1);
    baseline.prepare(1, 0.7, 1);
    paired.add(candidate, baseline, 1);
    assertTrue(Double.isNaN(paired.modelCosineSimilarity()));
  }

  @Test
  public void termsCountRepeatedExamplesAsCopies() {
    AccumulatorSpec spec =
        AccumulatorSpec.builder()
            .addTerm(RegressionTerm.ABSOLUTE_PERCENTAGE_ERROR)
            .addTerm(RegressionTerm.SQUARED_ERROR)
            .build();
    PreparedExample example = new PreparedExample(spec);
    SliceAccumulator once = new SliceAccumulator(spec);
    SliceAccumulator copies = new SliceAccumulator(spec);
    for (double[] e : new double[][] {{1, 0.25, 2}, {0, 0.5, 1}}) {
      example.prepare(e[0], e[1], e[2]);
      once.add(example, 3);
      for (int i = 0; i < 3; i++) {
        copies.add(example);
      }
    }
    for (ExampleTerm term : spec.terms()) {
      assertEquals(copies.termSum(term), once.termSum(term), 1e-12);
      assertEquals(copies.termWeight(term), once.termWeight(term), 1e-12);
    }
    // The percentage error leaves out the label-0 example: 3 copies of weight 2.
    assertEquals(6, once.termWeight(RegressionTerm.ABSOLUTE_PERCENTAGE_ERROR), 0);
    assertEquals(9, once.termWeight(RegressionTerm.SQUARED_ERROR), 0);
  }

  private static double sq(double x) {
    return x * x;
  }

  private static double bce(double target, double p) {
    return -target * Math.log(p) - (1 - target) * Math.log(1 - p);
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double scalar(String className, String config, double[][] examples) {
    return compute(className, config, examples).get(0).getDoubleValue().getValue();
  }

  /** The metric's values over {@code examples}: (label, prediction[, weight]) each. */
  private static List<MetricValue> compute(String className, String config, double[][] examples) {
    return RecordingSink.compute(MetricRegistry.create(className, config, true), examples).metrics;
  }
}
