package io.fairbeam.metrics;

import io.fairbeam.io.TfmaNames;
import io.fairbeam.util.PythonFloats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Fairness Indicators: ten rates from the exact weighted confusion matrix at each threshold, keyed
 * {@code <name>/<rate>@<threshold>} as the {@code fairness_indicators} package names them.
 *
 * <p>The threshold text has as many decimals as the longest {@code str(threshold)} among the
 * configured thresholds (at least one): {@code @0.5} for the defaults, {@code @0.25} and
 * {@code @0.50} for {@code [0.25, 0.5]}.
 */
@Internal
public final class FairnessIndicators implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** TFMA's default name. */
  public static final String DEFAULT_NAME = TfmaNames.FAIRNESS_INDICATORS;

  /** The default thresholds 0.1, 0.2, ..., 0.9. */
  public static final List<Double> DEFAULT_THRESHOLDS =
      List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

  /** The ten sub-metrics, in the order the fairness_indicators package emits them. */
  public enum Rate {
    FALSE_POSITIVE_RATE(
        "false_positive_rate",
        "FPR",
        ConfusionCounts::falsePositiveRate,
        ConfusionCounts::labelNegatives),
    FALSE_NEGATIVE_RATE(
        "false_negative_rate",
        "FNR",
        ConfusionCounts::falseNegativeRate,
        ConfusionCounts::labelPositives),
    TRUE_POSITIVE_RATE(
        "true_positive_rate",
        "TPR",
        ConfusionCounts::truePositiveRate,
        ConfusionCounts::labelPositives),
    TRUE_NEGATIVE_RATE(
        "true_negative_rate",
        "TNR",
        ConfusionCounts::trueNegativeRate,
        ConfusionCounts::labelNegatives),
    POSITIVE_RATE(
        "positive_rate", "PosRate", ConfusionCounts::positiveRate, ConfusionCounts::total),
    NEGATIVE_RATE(
        "negative_rate", "NegRate", ConfusionCounts::negativeRate, ConfusionCounts::total),
    FALSE_DISCOVERY_RATE(
        "false_discovery_rate",
        "FDR",
        ConfusionCounts::falseDiscoveryRate,
        ConfusionCounts::predictedPositives),
    FALSE_OMISSION_RATE(
        "false_omission_rate",
        "FOR",
        ConfusionCounts::falseOmissionRate,
        ConfusionCounts::predictedNegatives),
    PRECISION("precision", "Prec", ConfusionCounts::precision, ConfusionCounts::predictedPositives),
    RECALL("recall", "Recall", ConfusionCounts::truePositiveRate, ConfusionCounts::labelPositives);

    private final String keyName;
    private final String heading;
    private final ToDoubleFunction<ConfusionCounts> formula;
    private final ToDoubleFunction<ConfusionCounts> denominator;

    Rate(
        String keyName,
        String heading,
        ToDoubleFunction<ConfusionCounts> formula,
        ToDoubleFunction<ConfusionCounts> denominator) {
      this.keyName = keyName;
      this.heading = heading;
      this.formula = formula;
      this.denominator = denominator;
    }

    /** TFMA's name of the rate in metric keys, e.g. {@code false_positive_rate}. */
    public String keyName() {
      return keyName;
    }

    /** The short column heading reports use, e.g. {@code FPR}. */
    public String heading() {
      return heading;
    }

    /**
     * Which examples the rate counts by label, when the labels alone fix its denominator; null for
     * precision and the other shares of the predictions.
     */
    public LabelShare share() {
      return switch (this) {
        case FALSE_POSITIVE_RATE -> LabelShare.FALSE_POSITIVE_RATE;
        case FALSE_NEGATIVE_RATE -> LabelShare.FALSE_NEGATIVE_RATE;
        case TRUE_POSITIVE_RATE, RECALL -> LabelShare.TRUE_POSITIVE_RATE;
        case TRUE_NEGATIVE_RATE -> LabelShare.TRUE_NEGATIVE_RATE;
        case POSITIVE_RATE -> LabelShare.POSITIVE_RATE;
        case NEGATIVE_RATE -> LabelShare.NEGATIVE_RATE;
        case FALSE_DISCOVERY_RATE, FALSE_OMISSION_RATE, PRECISION -> null;
      };
    }

    /** The rate named {@code keyName} in a metric key, or null if none is. */
    public static Rate byKeyName(String keyName) {
      for (Rate rate : values()) {
        if (rate.keyName.equals(keyName)) {
          return rate;
        }
      }
      return null;
    }

    public double of(ConfusionCounts counts) {
      return formula.applyAsDouble(counts);
    }

    /** The weight of the examples this rate is a share of (e.g. the negatives for FPR). */
    double denominator(ConfusionCounts counts) {
      return denominator.applyAsDouble(counts);
    }
  }

  private final String name;
  private final double[] thresholds;
  private final boolean weighted;

  /** The metric key of each threshold (row) and rate (column), made once: every slice uses them. */
  private final String[][] keys;

  public FairnessIndicators(String name, List<Double> thresholds, boolean weighted) {
    this.name = name == null ? DEFAULT_NAME : name;
    this.thresholds = thresholds.stream().mapToDouble(Double::doubleValue).toArray();
    this.weighted = weighted;
    this.keys = new String[this.thresholds.length][];
    for (int t = 0; t < keys.length; t++) {
      keys[t] = new String[Rate.values().length];
      for (Rate rate : Rate.values()) {
        keys[t][rate.ordinal()] = key(rate, this.thresholds[t]);
      }
    }
  }

  /** Builds the metric from its JSON arguments ({@code thresholds}, {@code name}). */
  public static FairnessIndicators fromArgs(MetricArgs args, boolean weighted) {
    List<Double> thresholds = args.thresholds("thresholds").orElse(DEFAULT_THRESHOLDS);
    if (thresholds.isEmpty()) {
      throw new MetricConfigException("FairnessIndicators needs at least one threshold");
    }
    return new FairnessIndicators(args.string("name").orElse(null), thresholds, weighted);
  }

  /** The thresholds in configured order. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  @Override
  public String name() {
    return name;
  }

  /** The key of {@code rate} at {@code threshold}, e.g. {@code .../false_positive_rate@0.50}. */
  public String key(Rate rate, double threshold) {
    return name + "/" + rate.keyName + "@" + thresholdText(threshold, thresholds);
  }

  /** TFMA's threshold text: {@code "%.*f" % (digits, t)}. */
  public static String thresholdText(double threshold, double[] allThresholds) {
    int digits = 1;
    for (double t : allThresholds) {
      digits = Math.max(digits, PythonFloats.repr(t).length() - 2);
    }
    return String.format(Locale.ROOT, "%." + digits + "f", threshold);
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addThresholds(java.util.Arrays.stream(thresholds).boxed().toList());
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    for (int t = 0; t < thresholds.length; t++) {
      ConfusionCounts counts = slice.countsAt(thresholds[t]);
      for (Rate rate : Rate.values()) {
        String key = keys[t][rate.ordinal()];
        double value = rate.of(counts);
        sink.metric(key, weighted, MetricValues.ofDouble(value));
        sink.proportion(key, weighted, slice.proportion(value, rate.denominator(counts)));
        if (rate.share() != null) {
          sink.pairable(key, weighted, thresholds[t], rate.share());
        }
      }
    }
  }

  @Override
  public List<String> metricKeys() {
    List<String> keys = new ArrayList<>();
    for (double threshold : thresholds) {
      for (Rate rate : Rate.values()) {
        keys.add(key(rate, threshold));
      }
    }
    return keys;
  }
}
