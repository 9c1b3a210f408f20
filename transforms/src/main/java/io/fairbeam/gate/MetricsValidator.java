package io.fairbeam.gate;

import com.google.protobuf.ByteString;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.Message;
import io.fairbeam.proto.tfma.CrossSliceKey;
import io.fairbeam.proto.tfma.CrossSlicingSpec;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.GenericChangeThreshold;
import io.fairbeam.proto.tfma.GenericValueThreshold;
import io.fairbeam.proto.tfma.MetricDirection;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricThreshold;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.proto.tfma.ModelSpec;
import io.fairbeam.proto.tfma.SlicingDetails;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.proto.tfma.ValidationFailure;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceSpecMatch;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks one slice's metrics against the config's thresholds, as TFMA 0.52 does ({@code
 * metrics_validator.validate_metrics}): which thresholds apply to the slice, value thresholds with
 * inclusive bounds, change thresholds on the difference from the baseline (absolute, and relative
 * to the baseline's value, NaN when that is 0), both demands of a threshold together, the baseline
 * model's own metrics never judged, a threshold whose metric the slice lacks reported as "Metric
 * not found.", and a failing threshold reported once per key and slice. Each failure also says in
 * words what failed (TFMA leaves the message empty). A threshold with {@code use_confidence_bound}
 * (Fairbeam's) is judged on the confidence interval's bound: for a rate the run judged from its
 * counts, its decision interval (a score interval, which holds on small slices where a resampling
 * interval collapses), otherwise TFMA's interval.
 */
public final class MetricsValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** TFMA's message for a threshold whose metric the slice lacks. */
  public static final String METRIC_NOT_FOUND = "Metric not found.";

  private final ThresholdIndex thresholds;
  private final String baselineModel;
  private final double confidenceLevel;

  /**
   * @param baselineModel the baseline's model name, whose metrics are never judged; null if none
   * @param confidenceLevel the level of the intervals, for messages
   */
  public MetricsValidator(ThresholdIndex thresholds, String baselineModel, double confidenceLevel) {
    this.thresholds = thresholds;
    this.baselineModel = baselineModel;
    this.confidenceLevel = confidenceLevel;
  }

  /**
   * The validator of {@code config} as written to a result (after a rubber stamp, without the
   * baseline): its thresholds, its baseline model, and its intervals' level for messages. Readers
   * of a result use it to list every check, passing ones included.
   */
  public static MetricsValidator forConfig(EvalConfig config) {
    List<String> names = new ArrayList<>();
    String baseline = null;
    for (ModelSpec model : config.getModelSpecsList()) {
      names.add(config.getModelSpecsCount() > 1 ? model.getName() : "");
      if (model.getIsBaseline() && config.getModelSpecsCount() > 1) {
        baseline = model.getName();
      }
    }
    double level = config.getOptions().getConfidenceIntervals().getConfidenceLevel();
    return new MetricsValidator(
        ThresholdIndex.of(config, names), baseline, level == 0 ? 0.95 : level);
  }

  /**
   * One check of a threshold on a slice.
   *
   * @param value the metric's point value, or null when the slice lacks it
   * @param failure why it fails, or null when it passes
   * @param reported whether the failure is reported: a failing threshold is reported once per key
   *     and slice, as in TFMA (a duplicate is neither reported nor counted as a check)
   */
  public record Check(
      MetricKey key, ThresholdIndex.Entry entry, Double value, String failure, boolean reported) {
    public boolean passed() {
      return failure == null;
    }
  }

  /** Every check TFMA makes on {@code slice}, in its order: passing, failing and not found. */
  public List<Check> checks(MetricsForSlice slice) {
    return checks(slice, key -> null);
  }

  /**
   * As {@link #checks(MetricsForSlice)}, with the decision interval of each of the slice's rates
   * and AUCs ({@code decisionIntervals} gives null for other metrics; asked only for checked
   * metrics): a value threshold with {@code use_confidence_bound} on one of them is judged on it.
   */
  public List<Check> checks(
      MetricsForSlice slice, Function<MetricKey, io.fairbeam.stats.Bounds> decisionIntervals) {
    boolean cross = slice.hasCrossSliceKey();
    Map<MetricKey, MetricsForSlice.MetricKeyAndValue> metrics = new LinkedHashMap<>();
    for (MetricsForSlice.MetricKeyAndValue kv : slice.getMetricKeysAndValuesList()) {
      metrics.put(kv.getKey(), kv);
    }
    List<Check> checks = new ArrayList<>();
    Set<MetricKey> unchecked = new LinkedHashSet<>(thresholds.keys());
    for (Map.Entry<MetricKey, MetricsForSlice.MetricKeyAndValue> metric : metrics.entrySet()) {
      MetricKey key = metric.getKey();
      if (!unchecked.remove(key) || isBaseline(key)) {
        continue;
      }
      Set<ByteString> failed = new HashSet<>();
      Bounds bounds = Bounds.of(metric.getValue());
      Double value = bounds == null ? null : bounds.point();
      for (ThresholdIndex.Entry entry : thresholds.of(key)) {
        if (!applies(entry, slice)) {
          continue;
        }
        String failure =
            check(key, entry.threshold(), metric.getValue(), metrics, decisionIntervals.apply(key));
        boolean reported = failure == null || failed.add(entry.threshold().toByteString());
        checks.add(new Check(key, entry, value, failure, reported));
      }
    }
    for (MetricKey key : unchecked) {
      if (isBaseline(key)) {
        continue;
      }
      Set<ByteString> failed = new HashSet<>();
      for (ThresholdIndex.Entry entry : thresholds.of(key)) {
        if (entry.spec() == null ? cross : cross != entry.isCross()) {
          continue;
        }
        if (cross && !appliesToCross((CrossSlicingSpec) entry.spec(), slice.getCrossSliceKey())) {
          continue;
        }
        boolean reported = failed.add(entry.threshold().toByteString());
        checks.add(new Check(key, entry, null, METRIC_NOT_FOUND, reported));
      }
    }
    return checks;
  }

  /** Whether the config has a threshold: without one, no slice's validation says anything. */
  public boolean checksAnything() {
    return !thresholds.isEmpty();
  }

  /**
   * The validation of one slice (or cross slice): its failures and the specs it was checked for.
   */
  public ValidationResult validate(MetricsForSlice slice) {
    return validate(slice, key -> null);
  }

  /** As {@link #validate(MetricsForSlice)}, with the slice's decision intervals. */
  public ValidationResult validate(
      MetricsForSlice slice, Function<MetricKey, io.fairbeam.stats.Bounds> decisionIntervals) {
    MetricsValidationForSlice.Builder failures = MetricsValidationForSlice.newBuilder();
    Map<SlicingSpecIdentity, SlicingDetails> details = new LinkedHashMap<>();
    for (Check check : checks(slice, decisionIntervals)) {
      if (!check.reported()) {
        continue;
      }
      if (!check.passed()) {
        ValidationFailure.Builder record = failure(check.key(), check.entry(), check.failure());
        if (check.value() != null) {
          record.setMetricValue(
              MetricValue.newBuilder().setDoubleValue(DoubleValue.of(check.value())));
        }
        failures.addFailures(record);
      }
      if (check.value() != null || !METRIC_NOT_FOUND.equals(check.failure())) {
        details.putIfAbsent(check.entry().specIdentity(), details(check.entry()));
      }
    }
    ValidationResult.Builder result = ValidationResult.newBuilder().setValidationOk(true);
    result.getValidationDetailsBuilder().addAllSlicingDetails(details.values());
    if (failures.getFailuresCount() > 0) {
      if (slice.hasCrossSliceKey()) {
        failures.setCrossSliceKey(slice.getCrossSliceKey());
      } else {
        failures.setSliceKey(slice.getSliceKey());
      }
      result.setValidationOk(false).addMetricValidationsPerSlice(failures);
    }
    return result.build();
  }

  private boolean isBaseline(MetricKey key) {
    return baselineModel != null && key.getModelName().equals(baselineModel);
  }

  /** TFMA's rule: a threshold without a spec applies to every slice that is not a cross slice. */
  private static boolean applies(ThresholdIndex.Entry entry, MetricsForSlice slice) {
    boolean cross = slice.hasCrossSliceKey();
    if (entry.spec() == null) {
      return !cross;
    }
    if (entry.spec() instanceof SlicingSpec spec) {
      return !cross && SliceSpecMatch.applies(spec, SliceKey.fromProto(slice.getSliceKey()));
    }
    return cross && appliesToCross((CrossSlicingSpec) entry.spec(), slice.getCrossSliceKey());
  }

  /** TFMA's {@code is_cross_slice_applicable}. */
  static boolean appliesToCross(CrossSlicingSpec spec, CrossSliceKey key) {
    if (!SliceSpecMatch.applies(
        spec.getBaselineSpec(), SliceKey.fromProto(key.getBaselineSliceKey()))) {
      return false;
    }
    SliceKey comparison = SliceKey.fromProto(key.getComparisonSliceKey());
    return SliceSpecMatch.appliesToAny(spec.getSlicingSpecsList(), comparison);
  }

  private static SlicingDetails details(ThresholdIndex.Entry entry) {
    SlicingDetails.Builder details = SlicingDetails.newBuilder().setNumMatchingSlices(1);
    if (entry.spec() instanceof CrossSlicingSpec cross) {
      details.setCrossSlicingSpec(cross);
    } else {
      details.setSlicingSpec(
          entry.spec() == null ? SlicingSpec.getDefaultInstance() : (SlicingSpec) entry.spec());
    }
    return details.build();
  }

  private static ValidationFailure.Builder failure(
      MetricKey key, ThresholdIndex.Entry entry, String message) {
    return ValidationFailure.newBuilder()
        .setMetricKey(key)
        .setMetricThreshold(entry.asMetricThreshold())
        .setMessage(message);
  }

  /**
   * Why {@code metric} fails {@code threshold}, or null if it passes; {@code decision} is the
   * metric's decision interval, or null.
   */
  private String check(
      MetricKey key,
      Message threshold,
      MetricsForSlice.MetricKeyAndValue metric,
      Map<MetricKey, MetricsForSlice.MetricKeyAndValue> metrics,
      io.fairbeam.stats.Bounds decision) {
    Bounds bounds = Bounds.of(metric);
    if (bounds == null) {
      return "Invalid metric for a threshold: "
          + key.getName()
          + " is not a single number (it is "
          + metric.getValue().getTypeCase().name().toLowerCase(Locale.ROOT)
          + ")";
    }
    if (threshold instanceof GenericValueThreshold value) {
      return decision == null
          ? checkValue(value, bounds, "")
          : checkValue(
              value,
              new Bounds(bounds.point(), decision.lower(), decision.upper()),
              " score interval from the counts");
    }
    GenericChangeThreshold change = (GenericChangeThreshold) threshold;
    double baseline = Double.NaN;
    if (change.hasRelative()) {
      MetricKey baselineKey =
          key.toBuilder().setModelName(baselineModel == null ? "" : baselineModel).build();
      baselineKey = baselineKey.toBuilder().setIsDiff(false).build();
      MetricsForSlice.MetricKeyAndValue base = metrics.get(baselineKey);
      Bounds baseBounds = base == null ? null : Bounds.of(base);
      if (baseBounds == null) {
        return "Invalid metrics for a relative change: the baseline's "
            + key.getName()
            + " is missing or not a single number";
      }
      baseline = baseBounds.point();
    }
    return decision == null
        ? checkChange(change, bounds, baseline, " interval")
        : checkChange(
            change,
            new Bounds(bounds.point(), decision.lower(), decision.upper()),
            baseline,
            " paired score interval from the counts");
  }

  /** {@code interval} names the interval in messages after its level, e.g. " score interval". */
  private String checkValue(GenericValueThreshold threshold, Bounds bounds, String interval) {
    double lower = threshold.hasLowerBound() ? threshold.getLowerBound().getValue() : negInf();
    double upper = threshold.hasUpperBound() ? threshold.getUpperBound().getValue() : inf();
    double v = bounds.point();
    if (!(v >= lower && v <= upper)) {
      return "value "
          + num(v)
          + (v < lower ? " is below lower_bound " + num(lower) : "")
          + (v > upper ? " is above upper_bound " + num(upper) : "")
          + (Double.isNaN(v) ? " is not a number" : "");
    }
    if (!threshold.getUseConfidenceBound()) {
      return null;
    }
    if (!(bounds.lower() >= lower && bounds.upper() <= upper)) {
      String why =
          !(bounds.lower() >= lower)
              ? "its lower bound " + num(bounds.lower()) + " is below lower_bound " + num(lower)
              : "its upper bound " + num(bounds.upper()) + " is above upper_bound " + num(upper);
      return "fails with confidence: value "
          + num(v)
          + " passes, but the "
          + level()
          + (interval.isEmpty() ? " interval" : interval)
          + " ["
          + num(bounds.lower())
          + ", "
          + num(bounds.upper())
          + "] does not: "
          + why;
    }
    return null;
  }

  /** {@code interval} names the interval in messages after its level, e.g. " interval". */
  private String checkChange(
      GenericChangeThreshold threshold, Bounds diff, double baseline, String interval) {
    boolean higherIsBetter = threshold.getDirection() == MetricDirection.HIGHER_IS_BETTER;
    if (!higherIsBetter && threshold.getDirection() != MetricDirection.LOWER_IS_BETTER) {
      return "Invalid threshold: change_threshold needs direction HIGHER_IS_BETTER or"
          + " LOWER_IS_BETTER";
    }
    String point = checkChangeAt(threshold, diff.point(), baseline, higherIsBetter);
    if (point != null) {
      return point;
    }
    if (!threshold.getUseConfidenceBound()) {
      return null;
    }
    double bound = higherIsBetter ? diff.lower() : diff.upper();
    String atBound = checkChangeAt(threshold, bound, baseline, higherIsBetter);
    if (atBound == null) {
      return null;
    }
    if (interval.equals(" interval")) {
      return "fails with confidence: difference "
          + num(diff.point())
          + " passes, but the "
          + level()
          + " interval's "
          + (higherIsBetter ? "lower" : "upper")
          + " bound does not: "
          + atBound;
    }
    return "fails with confidence: difference "
        + num(diff.point())
        + " passes, but the "
        + (higherIsBetter ? "lower" : "upper")
        + " bound of the "
        + level()
        + interval
        + " ["
        + num(diff.lower())
        + ", "
        + num(diff.upper())
        + "] does not: "
        + atBound;
  }

  private static String checkChangeAt(
      GenericChangeThreshold threshold, double diff, double baseline, boolean higherIsBetter) {
    if (threshold.hasAbsolute()) {
      double absolute = threshold.getAbsolute().getValue();
      if (!(higherIsBetter ? diff >= absolute : diff <= absolute)) {
        return "difference from the baseline "
            + num(diff)
            + (higherIsBetter ? " is below absolute " : " is above absolute ")
            + num(absolute);
      }
    }
    if (threshold.hasRelative()) {
      double relative = threshold.getRelative().getValue();
      double ratio = baseline == 0 ? Double.NaN : diff / baseline;
      if (!(higherIsBetter ? ratio >= relative : ratio <= relative)) {
        return "relative difference "
            + num(diff)
            + " / "
            + num(baseline)
            + " = "
            + num(ratio)
            + (higherIsBetter ? " is below relative " : " is above relative ")
            + num(relative)
            + (baseline == 0 ? " (the baseline's value is 0)" : "");
      }
    }
    return null;
  }

  private String level() {
    return num(100 * confidenceLevel) + "%";
  }

  private static double inf() {
    return Double.POSITIVE_INFINITY;
  }

  private static double negInf() {
    return Double.NEGATIVE_INFINITY;
  }

  /** A number as a message shows it: up to 6 significant digits. */
  /**
   * A threshold in words, as the verdict, the JUnit report and report.html show it: {@code >= 0.7},
   * {@code change <= 0.05, with confidence}.
   */
  public static String describe(MetricThreshold threshold) {
    List<String> parts = new ArrayList<>();
    if (threshold.hasValueThreshold()) {
      GenericValueThreshold v = threshold.getValueThreshold();
      if (v.hasLowerBound()) {
        parts.add(">= " + num(v.getLowerBound().getValue()));
      }
      if (v.hasUpperBound()) {
        parts.add("<= " + num(v.getUpperBound().getValue()));
      }
      if (v.getUseConfidenceBound()) {
        parts.add("with confidence");
      }
    }
    if (threshold.hasChangeThreshold()) {
      GenericChangeThreshold c = threshold.getChangeThreshold();
      String op = c.getDirection() == MetricDirection.HIGHER_IS_BETTER ? ">= " : "<= ";
      if (c.hasAbsolute()) {
        parts.add("change " + op + num(c.getAbsolute().getValue()));
      }
      if (c.hasRelative()) {
        parts.add("relative change " + op + num(c.getRelative().getValue()));
      }
      if (c.getUseConfidenceBound()) {
        parts.add("with confidence");
      }
    }
    return String.join(", ", parts);
  }

  public static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    String s = String.format(Locale.ROOT, "%.6g", v);
    if (s.contains("e")) {
      return s;
    }
    s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    return s;
  }

  /** A metric's point value and interval bounds (the point itself where it has no interval). */
  record Bounds(double point, double lower, double upper) {
    /** The bounds of {@code metric}, or null when it is not a single number. */
    static Bounds of(MetricsForSlice.MetricKeyAndValue metric) {
      MetricValue value = metric.getValue();
      if (value.hasDoubleValue()) {
        double v = value.getDoubleValue().getValue();
        if (metric.hasConfidenceInterval()) {
          return new Bounds(
              v,
              metric.getConfidenceInterval().getLowerBound().getDoubleValue().getValue(),
              metric.getConfidenceInterval().getUpperBound().getDoubleValue().getValue());
        }
        return new Bounds(v, v, v);
      }
      if (value.hasBoundedValue()) {
        var b = value.getBoundedValue();
        double v = b.getValue().getValue();
        return new Bounds(
            v,
            b.hasLowerBound() ? b.getLowerBound().getValue() : v,
            b.hasUpperBound() ? b.getUpperBound().getValue() : v);
      }
      return null;
    }
  }
}
