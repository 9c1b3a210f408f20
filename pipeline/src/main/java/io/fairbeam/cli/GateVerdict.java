package io.fairbeam.cli;

import io.fairbeam.gate.ConstraintValidation;
import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.proto.tfma.CrossSlicingSpec;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.proto.tfma.ValidationFailure;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.report.SeriesNames;
import io.fairbeam.slice.SliceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The gate's decision read from a result's {@code validations.tfrecord}: whether the run judged the
 * model at all (a config without thresholds does not), whether it is blessed, and each failing
 * check in words, for the terminal, JUnit and Markdown reports.
 */
final class GateVerdict {
  /**
   * One failing check.
   *
   * @param slice the slice, cross slice or spec it concerns, as people read it
   * @param metric the metric key, with its model and whether it is the difference from the baseline
   * @param threshold what the threshold demands
   * @param reason why it failed: the value and bound, "Metric not found.", or a missing slice
   */
  record Failure(String slice, String metric, String threshold, String reason) {}

  private final ValidationResult result;
  private final List<Failure> failures;

  private GateVerdict(ValidationResult result, List<Failure> failures) {
    this.result = result;
    this.failures = failures;
  }

  static GateVerdict of(ValidationResult result) {
    return of(result, SeriesNames.BY_ID);
  }

  /** The verdict of {@code result}, its metrics' series named as {@code names} names them. */
  static GateVerdict of(ValidationResult result, SeriesNames names) {
    List<Failure> failures = new ArrayList<>();
    for (MetricsValidationForSlice slice : result.getMetricValidationsPerSliceList()) {
      String where = slice.hasCrossSliceKey() ? crossSlice(slice) : slice(slice.getSliceKey());
      for (ValidationFailure f : slice.getFailuresList()) {
        failures.add(
            new Failure(
                where,
                metric(f.getMetricKey(), names),
                MetricsValidator.describe(f.getMetricThreshold()),
                f.getMessage().isEmpty()
                    ? "value " + num(f.getMetricValue().getDoubleValue().getValue())
                    : f.getMessage()));
      }
    }
    for (SlicingSpec spec : result.getMissingSlicesList()) {
      failures.add(
          new Failure(spec(spec), "", "", "missing slice: no slice of the data matches this spec"));
    }
    for (CrossSlicingSpec spec : result.getMissingCrossSlicesList()) {
      failures.add(
          new Failure(
              spec(spec.getBaselineSpec())
                  + " - "
                  + spec.getSlicingSpecsList().stream()
                      .map(GateVerdict::spec)
                      .collect(Collectors.joining(" or ")),
              "",
              "",
              "missing cross slice: no pair of slices matches this spec"));
    }
    return new GateVerdict(result, List.copyOf(failures));
  }

  /** Whether the config gave anything to judge the model by. */
  boolean judged() {
    return !result.getMissingThresholds();
  }

  boolean blessed() {
    return result.getValidationOk();
  }

  boolean rubberStamp() {
    return result.getRubberStamp();
  }

  List<Failure> failures() {
    return failures;
  }

  /** The number of slice checks that ran, failing or not (TFMA's {@code num_matching_slices}). */
  int slicesChecked() {
    return result.getValidationDetails().getSlicingDetailsList().stream()
        .mapToInt(d -> d.getNumMatchingSlices())
        .sum();
  }

  /** The verdict line and each failing check, for the terminal; empty when nothing was judged. */
  String render() {
    StringBuilder out = new StringBuilder();
    if (!judged()) {
      return ""; // nothing was judged: an ordinary evaluation has no verdict to show
    }
    out.append("Verdict: ")
        .append(blessed() ? "BLESSED" : "NOT BLESSED")
        .append(
            blessed()
                ? " (every check holds)"
                : String.format(Locale.ROOT, " (%d failing checks)", failures.size()));
    if (rubberStamp()) {
      out.append(", first run without a baseline: change thresholds were not checked");
    }
    out.append('\n');
    for (Failure f : failures) {
      if (f.metric().startsWith(ConstraintValidation.KEY_PREFIX)) {
        out.append("  FAIL ").append(f.reason()).append('\n');
        continue;
      }
      out.append("  FAIL ").append(f.slice());
      if (!f.metric().isEmpty()) {
        out.append(" | ").append(f.metric()).append(" | ").append(f.threshold());
      }
      out.append(" | ").append(f.reason()).append('\n');
    }
    return out.toString();
  }

  static String slice(io.fairbeam.proto.tfma.SliceKey key) {
    return SliceKey.fromProto(key).label();
  }

  private static String crossSlice(MetricsValidationForSlice slice) {
    return slice(slice.getCrossSliceKey().getBaselineSliceKey())
        + " - "
        + slice(slice.getCrossSliceKey().getComparisonSliceKey());
  }

  static String spec(SlicingSpec spec) {
    List<String> parts = new ArrayList<>();
    spec.getFeatureValuesMap().forEach((k, v) -> parts.add(k + "=" + v));
    spec.getFeatureKeysList().forEach(k -> parts.add(k + "=*"));
    return parts.isEmpty() ? "Overall" : String.join(" × ", parts);
  }

  static String metric(MetricKey key) {
    return metric(key, SeriesNames.BY_ID);
  }

  /** A metric key as a check's metric: its name, and its series in parentheses. */
  static String metric(MetricKey key, SeriesNames names) {
    String name = key.getName();
    String series = names.of(key);
    if (!series.isEmpty()) {
      name += " (" + series + ")";
    }
    if (key.getIsDiff()) {
      name += ", change from the baseline";
    }
    return name;
  }

  private static String num(double v) {
    return MetricsValidator.num(v);
  }
}
