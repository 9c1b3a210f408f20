package io.fairbeam.gate;

import com.google.protobuf.TextFormat;
import io.fairbeam.proto.tfma.CrossSlicingSpec;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.proto.tfma.SlicingDetails;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.slice.SliceKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the slices' validations into the one {@code ValidationResult} of a run, as TFMA 0.52 does
 * ({@code CombineValidations}, {@code merge_details}, {@code get_missing_slices}): ok only if every
 * slice is; each slicing spec's count of slices it was checked on; a spec named by a threshold that
 * no slice was checked for is missing and fails the run; no threshold at all fails the run with
 * {@code missing_thresholds}, unless rubber-stamped (a first run without a baseline). One
 * difference: a cross-slicing spec counts as found when a cross slice was checked for it (TFMA
 * files those checks under the Overall spec, so its cross-slicing specs are always reported
 * missing). Fairbeam's fairness constraints count as checks: a failing one is a failure on the
 * Overall slice, and a config with constraints but no threshold is not missing thresholds. The
 * result lists slices and specs in a fixed order, so a rerun writes the same bytes.
 */
public final class ValidationCombiner implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ThresholdIndex thresholds;
  private final String baselineModel;
  private final boolean rubberStamp;
  private final boolean constraints;

  /**
   * @param constraints whether the config has fairness constraints, which are checks too (their
   *     results arrive as partial results to {@link #merge})
   */
  public ValidationCombiner(
      ThresholdIndex thresholds, String baselineModel, boolean rubberStamp, boolean constraints) {
    this.thresholds = thresholds;
    this.baselineModel = baselineModel;
    this.rubberStamp = rubberStamp;
    this.constraints = constraints;
  }

  /** The empty accumulator: nothing checked yet. */
  public static ValidationResult empty() {
    return ValidationResult.newBuilder().setValidationOk(true).build();
  }

  /** {@code a} and {@code b} together. */
  public static ValidationResult merge(ValidationResult a, ValidationResult b) {
    return Accumulator.of(a).add(b).toResult();
  }

  /**
   * Partial results merged in place, so that adding one costs its own size and not the total's (a
   * run may fail a threshold on a hundred thousand slices).
   */
  public static final class Accumulator {
    private boolean ok = true;
    private final List<MetricsValidationForSlice> slices = new ArrayList<>();
    private final Map<SlicingSpecIdentity, SlicingDetails> details = new LinkedHashMap<>();

    /** The accumulator holding {@code partial}. */
    public static Accumulator of(ValidationResult partial) {
      return new Accumulator().add(partial);
    }

    /** Adds a slice's (or a merged) result. */
    public Accumulator add(ValidationResult partial) {
      ok &= partial.getValidationOk();
      slices.addAll(partial.getMetricValidationsPerSliceList());
      for (SlicingDetails d : partial.getValidationDetails().getSlicingDetailsList()) {
        details.merge(identity(d), d, ValidationCombiner::sum);
      }
      return this;
    }

    /** Adds everything {@code other} holds. */
    public Accumulator add(Accumulator other) {
      return add(other.toResult());
    }

    /** What was added, as one result (not yet {@link ValidationCombiner#finish finished}). */
    public ValidationResult toResult() {
      ValidationResult.Builder result =
          ValidationResult.newBuilder().setValidationOk(ok).addAllMetricValidationsPerSlice(slices);
      result.getValidationDetailsBuilder().addAllSlicingDetails(details.values());
      return result.build();
    }
  }

  /** The run's result from everything merged: missing specs and thresholds, rubber stamp, order. */
  public ValidationResult finish(ValidationResult merged) {
    ValidationResult.Builder result = merged.toBuilder();
    if (thresholds.isEmpty() && !constraints) {
      result.setValidationOk(rubberStamp).setMissingThresholds(!rubberStamp);
    }
    Set<SlicingSpecIdentity> found = new HashSet<>();
    merged.getValidationDetails().getSlicingDetailsList().forEach(d -> found.add(identity(d)));
    for (MetricKey key : thresholds.keys()) {
      if (baselineModel != null && key.getModelName().equals(baselineModel)) {
        continue;
      }
      for (ThresholdIndex.Entry entry : thresholds.of(key)) {
        if (!found.add(entry.specIdentity())) {
          continue;
        }
        result.setValidationOk(false);
        if (entry.spec() instanceof CrossSlicingSpec cross) {
          result.addMissingCrossSlices(cross);
        } else {
          result.addMissingSlices(
              entry.spec() == null ? SlicingSpec.getDefaultInstance() : (SlicingSpec) entry.spec());
        }
      }
    }
    if (rubberStamp) {
      result.setRubberStamp(true);
    }
    List<MetricsValidationForSlice> slices =
        new ArrayList<>(merged.getMetricValidationsPerSliceList());
    slices.sort(Comparator.comparing(ValidationCombiner::sliceOrder));
    result.clearMetricValidationsPerSlice().addAllMetricValidationsPerSlice(slices);
    List<SlicingDetails> details =
        new ArrayList<>(merged.getValidationDetails().getSlicingDetailsList());
    details.sort(Comparator.comparing(TextFormat::shortDebugString));
    result.getValidationDetailsBuilder().clearSlicingDetails().addAllSlicingDetails(details);
    return result.build();
  }

  private static SlicingDetails sum(SlicingDetails a, SlicingDetails b) {
    return a.toBuilder()
        .setNumMatchingSlices(a.getNumMatchingSlices() + b.getNumMatchingSlices())
        .build();
  }

  private static SlicingSpecIdentity identity(SlicingDetails details) {
    return details.hasCrossSlicingSpec()
        ? SlicingSpecIdentity.of(details.getCrossSlicingSpec())
        : SlicingSpecIdentity.of(details.getSlicingSpec());
  }

  /** Slices in slice-key order, then cross slices by baseline and comparison. */
  private static String sliceOrder(MetricsValidationForSlice slice) {
    if (slice.hasCrossSliceKey()) {
      return "1 "
          + SliceKey.fromProto(slice.getCrossSliceKey().getBaselineSliceKey())
          + " - "
          + SliceKey.fromProto(slice.getCrossSliceKey().getComparisonSliceKey());
    }
    return "0 " + SliceKey.fromProto(slice.getSliceKey());
  }
}
