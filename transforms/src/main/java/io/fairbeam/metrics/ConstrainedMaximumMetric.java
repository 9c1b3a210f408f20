package io.fairbeam.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * TFMA's operating-point metrics ({@code SensitivityAtSpecificity}, {@code
 * SpecificityAtSensitivity}, {@code PrecisionAtRecall}, {@code RecallAtPrecision}, {@code
 * RecallAtFalsePositiveRate}, {@code ThresholdAtRecall}): among the thresholds where one rate meets
 * a target (at least it, or for the false positive rate at most it), the largest value of another.
 *
 * <p>As TFMA 0.52's {@code _find_max_under_constraint}: a threshold whose constrained rate is NaN
 * (0 / 0) is never feasible, NaN values of the maximised rate are ignored, and the result is 0 when
 * no threshold is feasible. The counts come from the calibration histogram at Keras' interpolated
 * thresholds ({@code num_thresholds}, default 10,000), or are exact at explicit {@code thresholds}
 * where TFMA accepts them. A list of targets gives an array, one value per target.
 */
final class ConstrainedMaximumMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  /** Which rate is constrained, which is maximised, and TFMA's names for them. */
  public enum Kind {
    SENSITIVITY_AT_SPECIFICITY(
        "sensitivity_at_specificity", "specificity", Rate.SPECIFICITY, Rate.RECALL, false, false),
    SPECIFICITY_AT_SENSITIVITY(
        "specificity_at_sensitivity", "sensitivity", Rate.RECALL, Rate.SPECIFICITY, false, false),
    PRECISION_AT_RECALL("precision_at_recall", "recall", Rate.RECALL, Rate.PRECISION, true, true),
    RECALL_AT_PRECISION(
        "recall_at_precision", "precision", Rate.PRECISION, Rate.RECALL, true, false),
    RECALL_AT_FALSE_POSITIVE_RATE(
        "recall_at_false_positive_rate",
        "false_positive_rate",
        Rate.FALSE_POSITIVE_RATE,
        Rate.RECALL,
        true,
        false),
    THRESHOLD_AT_RECALL("threshold_at_recall", "recall", Rate.RECALL, Rate.THRESHOLD, true, true);

    final String defaultName;
    final String targetArgument;
    final Rate constrained;
    final Rate maximised;

    /** Whether TFMA refuses a target outside [0, 1] (the two sensitivity metrics do not check). */
    final boolean checksTarget;

    /** Whether TFMA accepts explicit {@code thresholds} for this metric. */
    final boolean acceptsThresholds;

    Kind(
        String defaultName,
        String targetArgument,
        Rate constrained,
        Rate maximised,
        boolean checksTarget,
        boolean acceptsThresholds) {
      this.defaultName = defaultName;
      this.targetArgument = targetArgument;
      this.constrained = constrained;
      this.maximised = maximised;
      this.checksTarget = checksTarget;
      this.acceptsThresholds = acceptsThresholds;
    }

    /** TFMA's class name: the default name in upper camel case. */
    String className() {
      StringBuilder result = new StringBuilder();
      for (String word : defaultName.split("_")) {
        result.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
      return result.toString();
    }

    /** The false positive rate is kept at most its target; every other rate at least. */
    boolean feasible(double constrainedValue, double target) {
      return this == RECALL_AT_FALSE_POSITIVE_RATE
          ? constrainedValue <= target
          : constrainedValue >= target;
    }
  }

  /**
   * A rate as numpy divides it: 0 / 0 is NaN and x / 0 is infinite, unlike {@link ConfusionCounts}'
   * rates, which are NaN on any zero denominator.
   */
  private enum Rate {
    RECALL(c -> c.truePositives() / (c.truePositives() + c.falseNegatives())),
    SPECIFICITY(c -> c.trueNegatives() / (c.trueNegatives() + c.falsePositives())),
    PRECISION(c -> c.truePositives() / (c.truePositives() + c.falsePositives())),
    FALSE_POSITIVE_RATE(c -> c.falsePositives() / (c.falsePositives() + c.trueNegatives())),
    THRESHOLD(ConfusionCounts::threshold);

    private final ToDoubleFunction<ConfusionCounts> value;

    Rate(ToDoubleFunction<ConfusionCounts> value) {
      this.value = value;
    }
  }

  private final Kind kind;
  private final String name;
  private final double[] targets;
  private final boolean scalar;
  private final double[] thresholds;
  private final boolean histogram;
  private final boolean weighted;

  private ConstrainedMaximumMetric(
      Kind kind,
      String name,
      double[] targets,
      boolean scalar,
      double[] thresholds,
      boolean histogram,
      boolean weighted) {
    this.kind = kind;
    this.name = name;
    this.targets = targets;
    this.scalar = scalar;
    this.thresholds = thresholds;
    this.histogram = histogram;
    this.weighted = weighted;
  }

  /**
   * Builds the metric from its JSON arguments: the target (a number, or a list for an array),
   * {@code num_thresholds} (default 10,000) or, where TFMA accepts them, {@code thresholds}, and
   * {@code name}.
   */
  public static ConstrainedMaximumMetric fromArgs(Kind kind, MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse(kind.defaultName);
    List<Double> targets =
        args.numbers(kind.targetArgument)
            .orElseThrow(
                () ->
                    new MetricConfigException(
                        name + " needs the argument \"" + kind.targetArgument + "\""));
    if (targets.isEmpty()) {
      throw new MetricConfigException(
          name + " needs at least one value in \"" + kind.targetArgument + "\"");
    }
    if (kind.checksTarget) {
      for (double target : targets) {
        if (!(target >= 0 && target <= 1)) {
          throw new MetricConfigException(
              "argument \""
                  + kind.targetArgument
                  + "\" of "
                  + name
                  + " must be in [0, 1], got "
                  + target);
        }
      }
    }
    boolean scalar = args.isNumber(kind.targetArgument);
    List<Double> explicit =
        kind.acceptsThresholds ? args.thresholds("thresholds").orElse(null) : null;
    Integer numThresholds = args.integer("num_thresholds", 2, MetricArgs.MAX_COUNT).orElse(null);
    if (explicit != null && numThresholds != null) {
      throw new MetricConfigException(
          "only one of thresholds or num_thresholds can be set for " + name);
    }
    double[] targetValues = targets.stream().mapToDouble(Double::doubleValue).toArray();
    if (explicit != null) {
      if (explicit.isEmpty()) {
        throw new MetricConfigException(name + " needs at least one threshold");
      }
      double[] values = explicit.stream().mapToDouble(Double::doubleValue).toArray();
      return new ConstrainedMaximumMetric(
          kind, name, targetValues, scalar, values, false, weighted);
    }
    int count = numThresholds == null ? AccumulatorSpec.HISTOGRAM_BUCKETS : numThresholds;
    return new ConstrainedMaximumMetric(
        kind,
        name,
        targetValues,
        scalar,
        CalibrationHistogram.interpolatedThresholds(count),
        true,
        weighted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    if (histogram) {
      needs.requireHistogram().requireFullResolutionReplicates();
    } else {
      needs.addThresholds(Arrays.stream(thresholds).boxed().toList());
    }
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    ConfusionCounts[] counts;
    if (histogram) {
      counts = slice.histogramCountsAt(thresholds);
    } else {
      counts = new ConfusionCounts[thresholds.length];
      for (int i = 0; i < thresholds.length; i++) {
        counts[i] = slice.countsAt(thresholds[i]);
      }
    }
    double[] values = new double[targets.length];
    for (int t = 0; t < targets.length; t++) {
      values[t] = maximumUnderConstraint(counts, targets[t]);
    }
    sink.metric(
        name, weighted, scalar ? MetricValues.ofDouble(values[0]) : MetricValues.ofArray(values));
  }

  /** The largest maximised rate where the constrained rate meets {@code target}; 0 if none does. */
  double maximumUnderConstraint(ConfusionCounts[] counts, double target) {
    boolean anyFeasible = false;
    double best = Double.NaN;
    for (ConfusionCounts c : counts) {
      if (kind.feasible(kind.constrained.value.applyAsDouble(c), target)) {
        anyFeasible = true;
        double value = kind.maximised.value.applyAsDouble(c);
        if (!Double.isNaN(value) && (Double.isNaN(best) || value > best)) {
          best = value;
        }
      }
    }
    return anyFeasible ? best : 0.0;
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
