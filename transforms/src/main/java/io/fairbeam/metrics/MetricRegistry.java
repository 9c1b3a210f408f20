package io.fairbeam.metrics;

import io.fairbeam.metrics.ConfusionMatrixMetric.Formula;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The one place that knows which TFMA metric {@code class_name}s Fairbeam computes, with their
 * default names, and builds a {@link MetricDefinition} from a {@code MetricConfig}.
 */
@Internal
public final class MetricRegistry {
  private MetricRegistry() {}

  /** Builds a metric from its parsed arguments; {@code weighted} is the run's weighting. */
  @FunctionalInterface
  private interface Factory {
    MetricDefinition create(MetricArgs args, boolean weighted);
  }

  private static final Map<String, Factory> FACTORIES = new TreeMap<>();

  static {
    FACTORIES.put(
        "ExampleCount",
        (args, weighted) ->
            new CountMetric(args.string("name").orElse(CountMetric.EXAMPLE_COUNT), weighted));
    FACTORIES.put(
        "WeightedExampleCount",
        (args, weighted) ->
            new CountMetric(
                args.string("name").orElse(CountMetric.WEIGHTED_EXAMPLE_COUNT), weighted));
    FACTORIES.put(
        "MeanLabel",
        (args, weighted) ->
            new MeanMetric(MeanMetric.Kind.MEAN_LABEL, args.string("name").orElse(null), weighted));
    FACTORIES.put(
        "MeanPrediction",
        (args, weighted) ->
            new MeanMetric(
                MeanMetric.Kind.MEAN_PREDICTION, args.string("name").orElse(null), weighted));
    FACTORIES.put(
        "Calibration",
        (args, weighted) ->
            new MeanMetric(
                MeanMetric.Kind.CALIBRATION, args.string("name").orElse(null), weighted));
    FACTORIES.put("FairnessIndicators", FairnessIndicators::fromArgs);
    FACTORIES.put("AUC", (args, weighted) -> AucMetric.fromArgs("auc", null, args, weighted));
    FACTORIES.put(
        "AUCPrecisionRecall",
        (args, weighted) ->
            AucMetric.fromArgs("auc_precision_recall", Auc.Curve.PR, args, weighted));
    FACTORIES.put("ConfusionMatrixAtThresholds", ConfusionMatrixAtThresholdsMetric::fromArgs);
    FACTORIES.put("ConfusionMatrixPlot", ConfusionMatrixPlot::fromArgs);
    FACTORIES.put("CalibrationPlot", CalibrationPlot::fromArgs);
    FACTORIES.put("ScoreDistributionPlot", ScoreDistributionPlot::new);
    FACTORIES.put(
        "MultiClassConfusionMatrixAtThresholds", MultiClassConfusionMatrixMetric::atThresholds);
    FACTORIES.put("MultiClassConfusionMatrixPlot", MultiClassConfusionMatrixMetric::plot);
    FACTORIES.put("MultiLabelConfusionMatrixPlot", MultiClassConfusionMatrixMetric::multiLabelPlot);
    FACTORIES.put(
        "SymmetricFlipRate",
        (args, weighted) -> FlipRates.one(FlipRates.Kind.SYMMETRIC, args, weighted));
    FACTORIES.put(
        "NegToNegFlipRate",
        (args, weighted) -> FlipRates.one(FlipRates.Kind.NEG_TO_NEG, args, weighted));
    FACTORIES.put(
        "NegToPosFlipRate",
        (args, weighted) -> FlipRates.one(FlipRates.Kind.NEG_TO_POS, args, weighted));
    FACTORIES.put(
        "PosToNegFlipRate",
        (args, weighted) -> FlipRates.one(FlipRates.Kind.POS_TO_NEG, args, weighted));
    FACTORIES.put(
        "PosToPosFlipRate",
        (args, weighted) -> FlipRates.one(FlipRates.Kind.POS_TO_POS, args, weighted));
    FACTORIES.put("BooleanFlipRates", FlipRates::all);
    FACTORIES.put("SymmetricPredictionDifference", SymmetricPredictionDifference::new);
    FACTORIES.put("ModelCosineSimilarity", ModelCosineSimilarity::new);

    FACTORIES.put(
        "MaxRecall",
        (args, weighted) ->
            ConfusionMatrixMetric.atThreshold(
                Formula.RECALL, args.string("name").orElse("max_recall"), 1e-12, weighted));
    for (ConstrainedMaximumMetric.Kind kind : ConstrainedMaximumMetric.Kind.values()) {
      FACTORIES.put(
          kind.className(),
          (args, weighted) -> ConstrainedMaximumMetric.fromArgs(kind, args, weighted));
    }
    meanTerm("MeanAbsoluteError", RegressionTerm.ABSOLUTE_ERROR, "mean_absolute_error");
    meanTerm("MeanSquaredError", RegressionTerm.SQUARED_ERROR, "mean_squared_error");
    meanTerm(
        "MeanAbsolutePercentageError",
        RegressionTerm.ABSOLUTE_PERCENTAGE_ERROR,
        "mean_absolute_percentage_error");
    meanTerm(
        "MeanSquaredLogarithmicError",
        RegressionTerm.SQUARED_LOGARITHMIC_ERROR,
        "mean_squared_logarithmic_error");
    FACTORIES.put("BinaryCrossEntropy", MeanTermMetric::binaryCrossEntropy);
    FACTORIES.put("Mean", FeatureMean::fromArgs);
    FACTORIES.put("SquaredPearsonCorrelation", SquaredPearsonCorrelation::new);
    // Keras metrics TFMA has no metric of its own for, run by TFMA through tf_keras.
    FACTORIES.put("BinaryCrossentropy", MeanTermMetric::kerasBinaryCrossentropy);
    keras("RootMeanSquaredError", RegressionTerm.SQUARED_ERROR, "root_mean_squared_error", true);
    keras("Hinge", KerasTerm.HINGE, "hinge", false);
    keras("SquaredHinge", KerasTerm.SQUARED_HINGE, "squared_hinge", false);
    keras("LogCoshError", KerasTerm.LOG_COSH, "log_cosh_error", false);
    keras("Poisson", KerasTerm.POISSON, "poisson", false);
    keras("KLDivergence", KerasTerm.KL_DIVERGENCE, "kl_divergence", false);
    keras("Accuracy", KerasTerm.ACCURACY, "accuracy", false);
    FACTORIES.put("CosineSimilarity", MeanTermMetric::kerasCosineSimilarity);
    FACTORIES.put(
        "SparseCategoricalAccuracy",
        (args, weighted) -> MeanTermMetric.kerasCategoricalAccuracy(true, args, weighted));
    FACTORIES.put(
        "CategoricalAccuracy",
        (args, weighted) -> MeanTermMetric.kerasCategoricalAccuracy(false, args, weighted));
    FACTORIES.put(
        "SparseCategoricalCrossentropy", MeanTermMetric::kerasSparseCategoricalCrossentropy);
    FACTORIES.put("CategoricalCrossentropy", MeanTermMetric::kerasCategoricalCrossentropy);
    FACTORIES.put("CategoricalCrossEntropy", MeanTermMetric::categoricalCrossEntropy);
    FACTORIES.put(
        "CoefficientOfDiscrimination",
        (args, weighted) -> new TjurDiscrimination(false, args, weighted));
    FACTORIES.put(
        "RelativeCoefficientOfDiscrimination",
        (args, weighted) -> new TjurDiscrimination(true, args, weighted));

    confusion("TruePositives", Formula.TRUE_POSITIVES, "true_positives");
    confusion("TP", Formula.TRUE_POSITIVES, "tp");
    confusion("TrueNegatives", Formula.TRUE_NEGATIVES, "true_negatives");
    confusion("TN", Formula.TRUE_NEGATIVES, "tn");
    confusion("FalsePositives", Formula.FALSE_POSITIVES, "false_positives");
    confusion("FP", Formula.FALSE_POSITIVES, "fp");
    confusion("FalseNegatives", Formula.FALSE_NEGATIVES, "false_negatives");
    confusion("FN", Formula.FALSE_NEGATIVES, "fn");
    confusion("BinaryAccuracy", Formula.BINARY_ACCURACY, "binary_accuracy");
    confusion("Precision", Formula.PRECISION, "precision");
    confusion("PPV", Formula.PRECISION, "ppv");
    confusion("Recall", Formula.RECALL, "recall");
    confusion("TPR", Formula.RECALL, "tpr");
    confusion("Specificity", Formula.SPECIFICITY, "specificity");
    confusion("TNR", Formula.SPECIFICITY, "tnr");
    confusion("FallOut", Formula.FALL_OUT, "fall_out");
    confusion("FPR", Formula.FALL_OUT, "fpr");
    confusion("MissRate", Formula.MISS_RATE, "miss_rate");
    confusion("FNR", Formula.MISS_RATE, "fnr");
    confusion(
        "NegativePredictiveValue", Formula.NEGATIVE_PREDICTIVE_VALUE, "negative_predictive_value");
    confusion("NPV", Formula.NEGATIVE_PREDICTIVE_VALUE, "npv");
    confusion("FalseDiscoveryRate", Formula.FALSE_DISCOVERY_RATE, "false_discovery_rate");
    confusion("FalseOmissionRate", Formula.FALSE_OMISSION_RATE, "false_omission_rate");
    confusion("Prevalence", Formula.PREVALENCE, "prevalence");
    confusion("PrevalenceThreshold", Formula.PREVALENCE_THRESHOLD, "prevalence_threshold");
    confusion("ThreatScore", Formula.THREAT_SCORE, "threat_score");
    confusion("BalancedAccuracy", Formula.BALANCED_ACCURACY, "balanced_accuracy");
    confusion("F1Score", Formula.F1_SCORE, "f1_score");
    confusion(
        "MatthewsCorrelationCoefficient",
        Formula.MATTHEWS_CORRELATION_COEFFICIENT,
        "matthews_correlation_coefficient");
    confusion("FowlkesMallowsIndex", Formula.FOWLKES_MALLOWS_INDEX, "fowlkes_mallows_index");
    confusion("Informedness", Formula.INFORMEDNESS, "informedness");
    confusion("Markedness", Formula.MARKEDNESS, "markedness");
    confusion(
        "PositiveLikelihoodRatio", Formula.POSITIVE_LIKELIHOOD_RATIO, "positive_likelihood_ratio");
    confusion(
        "NegativeLikelihoodRatio", Formula.NEGATIVE_LIKELIHOOD_RATIO, "negative_likelihood_ratio");
    confusion("DiagnosticOddsRatio", Formula.DIAGNOSTIC_ODDS_RATIO, "diagnostic_odds_ratio");
    confusion("PredictedPositiveRate", Formula.PREDICTED_POSITIVE_RATE, "predicted_positive_rate");
  }

  private static void confusion(String className, Formula formula, String defaultName) {
    FACTORIES.put(
        className,
        (args, weighted) -> ConfusionMatrixMetric.fromArgs(formula, defaultName, args, weighted));
  }

  private static void keras(String className, ExampleTerm term, String name, boolean root) {
    FACTORIES.put(
        className, (args, weighted) -> MeanTermMetric.keras(term, name, root, args, weighted));
  }

  private static void meanTerm(String className, ExampleTerm term, String defaultName) {
    FACTORIES.put(
        className,
        (args, weighted) ->
            new MeanTermMetric(args.string("name").orElse(defaultName), term, weighted));
  }

  /** The accepted {@code class_name}s, sorted. */
  public static java.util.Set<String> classNames() {
    return Collections.unmodifiableSet(FACTORIES.keySet());
  }

  /**
   * Builds the metric {@code className} from its JSON {@code config}.
   *
   * @throws MetricConfigException if the class is unknown or its config is invalid
   */
  public static MetricDefinition create(String className, String config, boolean weighted) {
    Factory factory = FACTORIES.get(className);
    if (factory == null) {
      throw new MetricConfigException(
          "unknown metric class_name \""
              + className
              + "\"; accepted: "
              + String.join(", ", FACTORIES.keySet()));
    }
    MetricArgs args = MetricArgs.parse(className, config);
    MetricDefinition metric = factory.create(args, weighted);
    args.checkNoOtherKeys();
    return metric;
  }
}
