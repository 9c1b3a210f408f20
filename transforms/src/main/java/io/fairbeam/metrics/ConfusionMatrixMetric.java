package io.fairbeam.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * TFMA's confusion-matrix metrics ({@code Precision}, {@code Recall}, {@code FallOut}, {@code
 * F1Score}, ...): one formula over the weighted confusion matrix at each threshold (default 0.5).
 *
 * <p>With explicit {@code thresholds} the counts are exact; with {@code num_thresholds} they come
 * from the calibration histogram at Keras' interpolated thresholds, as in TFMA. One threshold gives
 * a scalar value, several give an array, as TFMA writes them.
 *
 * <p>For a multi-class model, {@code top_k} or {@code class_id} binarizes this metric alone, as
 * {@code binarize} would its whole spec; under a {@code top_k} sub-key the default threshold is
 * −inf (every class in the top k predicted), as TFMA sets it.
 */
final class ConfusionMatrixMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** The formulas, each with TFMA's default metric name. */
  public enum Formula {
    TRUE_POSITIVES("true_positives", ConfusionCounts::truePositives),
    TRUE_NEGATIVES("true_negatives", ConfusionCounts::trueNegatives),
    FALSE_POSITIVES("false_positives", ConfusionCounts::falsePositives),
    FALSE_NEGATIVES("false_negatives", ConfusionCounts::falseNegatives),
    BINARY_ACCURACY("binary_accuracy", ConfusionCounts::accuracy, ConfusionCounts::total),
    PRECISION("precision", ConfusionCounts::precision, ConfusionCounts::predictedPositives),
    RECALL("recall", ConfusionCounts::truePositiveRate, ConfusionCounts::labelPositives),
    SPECIFICITY("specificity", ConfusionCounts::trueNegativeRate, ConfusionCounts::labelNegatives),
    FALL_OUT("fall_out", ConfusionCounts::falsePositiveRate, ConfusionCounts::labelNegatives),
    MISS_RATE("miss_rate", ConfusionCounts::falseNegativeRate, ConfusionCounts::labelPositives),
    NEGATIVE_PREDICTIVE_VALUE(
        "negative_predictive_value",
        ConfusionCounts::negativePredictiveValue,
        ConfusionCounts::predictedNegatives),
    FALSE_DISCOVERY_RATE(
        "false_discovery_rate",
        ConfusionCounts::falseDiscoveryRate,
        ConfusionCounts::predictedPositives),
    FALSE_OMISSION_RATE(
        "false_omission_rate",
        ConfusionCounts::falseOmissionRate,
        ConfusionCounts::predictedNegatives),
    PREVALENCE("prevalence", ConfusionCounts::prevalence, ConfusionCounts::total),
    PREVALENCE_THRESHOLD("prevalence_threshold", ConfusionCounts::prevalenceThreshold),
    THREAT_SCORE("threat_score", ConfusionCounts::threatScore),
    BALANCED_ACCURACY("balanced_accuracy", ConfusionCounts::balancedAccuracy),
    F1_SCORE("f1_score", ConfusionCounts::f1Score),
    MATTHEWS_CORRELATION_COEFFICIENT(
        "matthews_correlation_coefficient", ConfusionCounts::matthewsCorrelationCoefficient),
    FOWLKES_MALLOWS_INDEX("fowlkes_mallows_index", ConfusionCounts::fowlkesMallowsIndex),
    INFORMEDNESS("informedness", ConfusionCounts::informedness),
    MARKEDNESS("markedness", ConfusionCounts::markedness),
    POSITIVE_LIKELIHOOD_RATIO(
        "positive_likelihood_ratio", ConfusionCounts::positiveLikelihoodRatio),
    NEGATIVE_LIKELIHOOD_RATIO(
        "negative_likelihood_ratio", ConfusionCounts::negativeLikelihoodRatio),
    DIAGNOSTIC_ODDS_RATIO("diagnostic_odds_ratio", ConfusionCounts::diagnosticOddsRatio),
    PREDICTED_POSITIVE_RATE(
        "predicted_positive_rate", ConfusionCounts::positiveRate, ConfusionCounts::total);

    private final String defaultName;
    private final ToDoubleFunction<ConfusionCounts> formula;

    /** The weight the rate is a share of; null for a formula that is not such a share (F1). */
    private final ToDoubleFunction<ConfusionCounts> denominator;

    Formula(String defaultName, ToDoubleFunction<ConfusionCounts> formula) {
      this(defaultName, formula, null);
    }

    Formula(
        String defaultName,
        ToDoubleFunction<ConfusionCounts> formula,
        ToDoubleFunction<ConfusionCounts> denominator) {
      this.defaultName = defaultName;
      this.formula = formula;
      this.denominator = denominator;
    }

    public String defaultName() {
      return defaultName;
    }

    public double of(ConfusionCounts counts) {
      return formula.applyAsDouble(counts);
    }

    /**
     * Which examples the formula counts by label, when the labels alone fix its denominator; null
     * otherwise (precision, F1, prevalence, which no model decides).
     */
    LabelShare share() {
      return switch (this) {
        case BINARY_ACCURACY -> LabelShare.ACCURACY;
        case RECALL -> LabelShare.TRUE_POSITIVE_RATE;
        case SPECIFICITY -> LabelShare.TRUE_NEGATIVE_RATE;
        case FALL_OUT -> LabelShare.FALSE_POSITIVE_RATE;
        case MISS_RATE -> LabelShare.FALSE_NEGATIVE_RATE;
        case PREDICTED_POSITIVE_RATE -> LabelShare.POSITIVE_RATE;
        default -> null;
      };
    }
  }

  private final Formula formula;
  private final String name;
  private final double[] thresholds;
  private final Integer numThresholds;
  private final boolean weighted;

  /** Whether the thresholds are the default (0.5), which a {@code top_k} sub-key makes −inf. */
  private final boolean defaultThresholds;

  /** The metric's own {@code top_k} or {@code class_id}; null without one. */
  private final Binarization ownBinarization;

  private ConfusionMatrixMetric(
      Formula formula, String name, double[] thresholds, Integer numThresholds, boolean weighted) {
    this(formula, name, thresholds, numThresholds, weighted, false, null);
  }

  private ConfusionMatrixMetric(
      Formula formula,
      String name,
      double[] thresholds,
      Integer numThresholds,
      boolean weighted,
      boolean defaultThresholds,
      Binarization ownBinarization) {
    this.formula = formula;
    this.name = name;
    this.thresholds = thresholds;
    this.numThresholds = numThresholds;
    this.weighted = weighted;
    this.defaultThresholds = defaultThresholds;
    this.ownBinarization = ownBinarization;
  }

  /**
   * Builds the metric from its JSON arguments: {@code thresholds} or {@code num_thresholds}
   * (default: the single threshold 0.5, or −inf with {@code top_k}), {@code name} (default: {@code
   * defaultName}), and {@code top_k} or {@code class_id}.
   */
  public static ConfusionMatrixMetric fromArgs(
      Formula formula, String defaultName, MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse(defaultName);
    List<Double> thresholds = args.thresholds("thresholds").orElse(null);
    Integer numThresholds = args.integer("num_thresholds", 2, MetricArgs.MAX_COUNT).orElse(null);
    if (thresholds != null && numThresholds != null) {
      throw new MetricConfigException(
          "only one of thresholds or num_thresholds can be set for " + name);
    }
    Binarization own = ownBinarization(args, name);
    if (numThresholds != null) {
      return new ConfusionMatrixMetric(
          formula,
          name,
          CalibrationHistogram.interpolatedThresholds(numThresholds),
          numThresholds,
          weighted,
          false,
          own);
    }
    double[] values =
        thresholds == null
            ? new double[] {0.5}
            : thresholds.stream().mapToDouble(Double::doubleValue).toArray();
    if (values.length == 0) {
      throw new MetricConfigException(name + " needs at least one threshold");
    }
    ConfusionMatrixMetric metric =
        new ConfusionMatrixMetric(formula, name, values, null, weighted, thresholds == null, own);
    return own != null && own.topKSubKey() ? metric.underTopK() : metric;
  }

  /**
   * A confusion-matrix metric's own {@code top_k} (≥ 1) or {@code class_id} (≥ 0) argument; null
   * without either.
   */
  static Binarization ownBinarization(MetricArgs args, String name) {
    Integer topK = args.integer("top_k", 1, MetricArgs.MAX_COUNT).orElse(null);
    Integer classId = args.integer("class_id", 0, MetricArgs.MAX_COUNT).orElse(null);
    if (topK != null && classId != null) {
      throw new MetricConfigException("only one of top_k or class_id can be set for " + name);
    }
    return topK != null
        ? Binarization.topK(topK)
        : classId != null ? Binarization.classId(classId) : null;
  }

  @Override
  public Binarization ownBinarization() {
    return ownBinarization;
  }

  @Override
  public ConfusionMatrixMetric underTopK() {
    if (!defaultThresholds) {
      return this;
    }
    return new ConfusionMatrixMetric(
        formula,
        name,
        new double[] {Double.NEGATIVE_INFINITY},
        null,
        weighted,
        false,
        ownBinarization);
  }

  /** {@code formula} at one fixed threshold, as TFMA's {@code MaxRecall} (recall at 1e-12). */
  static ConfusionMatrixMetric atThreshold(
      Formula formula, String name, double threshold, boolean weighted) {
    return new ConfusionMatrixMetric(formula, name, new double[] {threshold}, null, weighted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    if (numThresholds != null) {
      needs.requireHistogram();
    } else {
      needs.addThresholds(java.util.Arrays.stream(thresholds).boxed().toList());
    }
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    double[] values = new double[thresholds.length];
    if (numThresholds != null) {
      ConfusionCounts[] counts = slice.histogramCountsAt(thresholds);
      for (int i = 0; i < counts.length; i++) {
        values[i] = formula.of(counts[i]);
      }
    } else {
      for (int i = 0; i < thresholds.length; i++) {
        values[i] = formula.of(slice.countsAt(thresholds[i]));
      }
    }
    sink.metric(name, weighted, MetricValues.ofPerThreshold(values));
    // A share of examples written as one number (one exact threshold) has a score interval.
    if (formula.denominator != null && numThresholds == null && thresholds.length == 1) {
      double denominator = formula.denominator.applyAsDouble(slice.countsAt(thresholds[0]));
      sink.proportion(name, weighted, slice.proportion(values[0], denominator));
      if (formula.share() != null) {
        sink.pairable(name, weighted, thresholds[0], formula.share());
      }
    }
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }

  @Override
  public boolean keyedByAggregation() {
    return true;
  }
}
