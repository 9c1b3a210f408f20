package io.fairbeam.gate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.BoolValue;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.TextFormat;
import io.fairbeam.proto.tfma.BoundedValue;
import io.fairbeam.proto.tfma.CrossSliceKey;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.SingleSliceKey;
import io.fairbeam.proto.tfma.SliceKey;
import io.fairbeam.proto.tfma.ValidationFailure;
import io.fairbeam.proto.tfma.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * TFMA 0.52's validation rules, each on metrics built by hand (the same rules are compared with
 * TFMA itself in compat/, cases titanic-gate, models-gate and models-rubber-stamp).
 */
public class ThresholdValidationTest {
  private static EvalConfig config(String text) throws TextFormat.ParseException {
    return TextFormat.parse(text, EvalConfig.class);
  }

  private static final String ONE_MODEL = "model_specs { label_key: 'y' prediction_key: 'p' }\n";

  private static final String TWO_MODELS =
      "model_specs { name: 'candidate' label_key: 'y' prediction_key: 'p' }\n"
          + "model_specs { name: 'baseline' label_key: 'y' prediction_key: 'q' is_baseline: true"
          + " }\n";

  private static MetricKey key(String name, String model, boolean diff) {
    return MetricKey.newBuilder()
        .setName(name)
        .setModelName(model)
        .setIsDiff(diff)
        .setExampleWeighted(BoolValue.of(false))
        .build();
  }

  private static SliceKey slice(String... columnsAndValues) {
    SliceKey.Builder key = SliceKey.newBuilder();
    for (int i = 0; i < columnsAndValues.length; i += 2) {
      key.addSingleSliceKeys(
          SingleSliceKey.newBuilder()
              .setColumn(columnsAndValues[i])
              .setBytesValue(com.google.protobuf.ByteString.copyFromUtf8(columnsAndValues[i + 1])));
    }
    return key.build();
  }

  /**
   * A slice's metrics: alternating keys and values (a Double, or double[] {value, lower, upper}).
   */
  private static MetricsForSlice metrics(SliceKey slice, Object... keysAndValues) {
    MetricsForSlice.Builder m = MetricsForSlice.newBuilder().setSliceKey(slice);
    add(m, keysAndValues);
    return m.build();
  }

  private static void add(MetricsForSlice.Builder m, Object... keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      MetricValue.Builder value = MetricValue.newBuilder();
      if (keysAndValues[i + 1] instanceof double[] b) {
        value.setBoundedValue(
            BoundedValue.newBuilder()
                .setValue(DoubleValue.of(b[0]))
                .setLowerBound(DoubleValue.of(b[1]))
                .setUpperBound(DoubleValue.of(b[2])));
      } else {
        value.setDoubleValue(DoubleValue.of((Double) keysAndValues[i + 1]));
      }
      m.addMetricKeysAndValuesBuilder().setKey((MetricKey) keysAndValues[i]).setValue(value);
    }
  }

  private static ValidationResult run(
      EvalConfig config, boolean rubberStamp, MetricsForSlice... s) {
    List<String> models = new ArrayList<>();
    String baseline = null;
    for (var spec : config.getModelSpecsList()) {
      models.add(config.getModelSpecsCount() > 1 ? spec.getName() : "");
      if (spec.getIsBaseline()) {
        baseline = spec.getName();
      }
    }
    ThresholdIndex index = ThresholdIndex.of(config, models);
    MetricsValidator validator = new MetricsValidator(index, baseline, 0.95);
    ValidationResult merged = ValidationCombiner.empty();
    for (MetricsForSlice slice : s) {
      merged = ValidationCombiner.merge(merged, validator.validate(slice));
    }
    return new ValidationCombiner(index, baseline, rubberStamp, false).finish(merged);
  }

  private static List<ValidationFailure> failures(ValidationResult result) {
    List<ValidationFailure> all = new ArrayList<>();
    result.getMetricValidationsPerSliceList().forEach(s -> all.addAll(s.getFailuresList()));
    return all;
  }

  @Test
  public void valueThresholdBoundsAreInclusiveAndApplyToEverySlice() throws Exception {
    EvalConfig c =
        config(
            ONE_MODEL
                + "metrics_specs { metrics { class_name: 'AUC' threshold { value_threshold {"
                + " lower_bound { value: 0.7 } upper_bound { value: 0.9 } } } } }");
    ValidationResult onBounds =
        run(
            c,
            false,
            metrics(slice(), key("auc", "", false), 0.7),
            metrics(slice("sex", "f"), key("auc", "", false), 0.9));
    assertTrue(onBounds.getValidationOk());
    assertEquals(2, onBounds.getValidationDetails().getSlicingDetails(0).getNumMatchingSlices());
    ValidationResult outside =
        run(
            c,
            false,
            metrics(slice(), key("auc", "", false), 0.7),
            metrics(slice("sex", "f"), key("auc", "", false), 0.69),
            metrics(slice("sex", "m"), key("auc", "", false), Double.NaN));
    assertFalse(outside.getValidationOk());
    assertEquals(2, outside.getMetricValidationsPerSliceCount());
    ValidationFailure f = outside.getMetricValidationsPerSlice(0).getFailures(0);
    assertEquals(0.69, f.getMetricValue().getDoubleValue().getValue(), 0);
    assertThat(f.getMessage(), containsString("0.69 is below lower_bound 0.7"));
    assertEquals(
        "f",
        outside
            .getMetricValidationsPerSlice(0)
            .getSliceKey()
            .getSingleSliceKeys(0)
            .getBytesValue()
            .toStringUtf8());
  }

  @Test
  public void changeThresholdsJudgeTheDifferenceAbsoluteAndRelativeInBothDirections()
      throws Exception {
    EvalConfig c =
        config(
            TWO_MODELS
                + "metrics_specs {"
                + " metrics { class_name: 'AUC' threshold { change_threshold {"
                + " absolute { value: -0.01 } direction: HIGHER_IS_BETTER } } }"
                + " metrics { class_name: 'FNR' threshold { change_threshold {"
                + " relative { value: 0.1 } direction: LOWER_IS_BETTER } } } }");
    MetricsForSlice passes =
        metrics(
            slice(),
            key("auc", "candidate", false),
            0.80,
            key("auc", "baseline", false),
            0.81,
            key("auc", "candidate", true),
            -0.01,
            key("fnr", "candidate", false),
            0.22,
            key("fnr", "baseline", false),
            0.20,
            key("fnr", "candidate", true),
            0.02);
    assertTrue(run(c, false, passes).getValidationOk());
    MetricsForSlice fails =
        metrics(
            slice(),
            key("auc", "candidate", false),
            0.79,
            key("auc", "baseline", false),
            0.81,
            key("auc", "candidate", true),
            -0.02,
            key("fnr", "candidate", false),
            0.23,
            key("fnr", "baseline", false),
            0.20,
            key("fnr", "candidate", true),
            0.03);
    List<ValidationFailure> failed = failures(run(c, false, fails));
    assertEquals(2, failed.size());
    assertEquals(key("auc", "candidate", true), failed.get(0).getMetricKey());
    assertThat(failed.get(0).getMessage(), containsString("-0.02 is below absolute -0.01"));
    assertThat(
        failed.get(1).getMessage(), containsString("0.03 / 0.2 = 0.15 is above relative 0.1"));
    MetricsForSlice zeroBaseline =
        metrics(
            slice(),
            key("auc", "candidate", true),
            0.0,
            key("fnr", "baseline", false),
            0.0,
            key("fnr", "candidate", true),
            0.0);
    List<ValidationFailure> nan = failures(run(c, false, zeroBaseline));
    assertEquals(1, nan.size());
    assertThat(nan.get(0).getMessage(), containsString("the baseline's value is 0"));
  }

  @Test
  public void theBaselinesOwnMetricsAreNeverJudged() throws Exception {
    EvalConfig c =
        config(
            TWO_MODELS
                + "metrics_specs { metrics { class_name: 'AUC' threshold { value_threshold {"
                + " lower_bound { value: 0.9 } } } } }");
    ValidationResult r =
        run(
            c,
            false,
            metrics(
                slice(), key("auc", "candidate", false), 0.95, key("auc", "baseline", false), 0.5));
    assertTrue(r.getValidationOk());
  }

  @Test
  public void aThresholdWhoseMetricIsAbsentFailsAsNotFound() throws Exception {
    EvalConfig c =
        config(
            ONE_MODEL
                + "metrics_specs { metrics { class_name: 'AUC' }"
                + " thresholds { key: 'auc' value { value_threshold { lower_bound { value: 0.5"
                + " } } } } }");
    // A MetricsSpec.thresholds key has no example_weighted, so the computed auc is not it.
    ValidationResult r = run(c, false, metrics(slice(), key("auc", "", false), 0.9));
    assertFalse(r.getValidationOk());
    assertEquals(MetricsValidator.METRIC_NOT_FOUND, failures(r).get(0).getMessage());
    assertFalse(failures(r).get(0).hasMetricValue());
    // Not found checks nothing, so TFMA also reports the threshold's slice (Overall) as missing.
    assertEquals(1, r.getMissingSlicesCount());
  }

  @Test
  public void perSliceThresholdsApplyToTheirSlicesAndReportMissingOnes() throws Exception {
    EvalConfig c =
        config(
            ONE_MODEL
                + "metrics_specs { metrics { class_name: 'AUC' per_slice_thresholds {"
                + " slicing_specs { feature_values [{ key: 'sex' value: 'f' },"
                + " { key: 'class' value: '1' }] }"
                + " slicing_specs { feature_values { key: 'class' value: '4' } }"
                + " threshold { value_threshold { lower_bound { value: 0.8 } } } } } }");
    ValidationResult r =
        run(
            c,
            false,
            metrics(slice(), key("auc", "", false), 0.5),
            metrics(slice("class", "1", "sex", "f"), key("auc", "", false), 0.7),
            metrics(slice("sex", "f"), key("auc", "", false), 0.5));
    List<ValidationFailure> failed = failures(r);
    assertEquals(1, failed.size());
    assertEquals(0.7, failed.get(0).getMetricValue().getDoubleValue().getValue(), 0);
    assertEquals(1, r.getMissingSlicesCount());
    assertEquals("4", r.getMissingSlices(0).getFeatureValuesMap().get("class"));
    assertFalse(r.getValidationOk());
  }

  @Test
  public void crossSliceThresholdsJudgeMatchingPairsAndCountAsFound() throws Exception {
    EvalConfig c =
        config(
            ONE_MODEL
                + "metrics_specs { metrics { class_name: 'AUC' cross_slice_thresholds {"
                + " cross_slicing_specs { baseline_spec { feature_values { key: 'sex' value: 'm'"
                + " } } slicing_specs { feature_values { key: 'sex' value: 'f' } } }"
                + " threshold { value_threshold { upper_bound { value: 0.05 } } } } } }");
    MetricsForSlice.Builder cross =
        MetricsForSlice.newBuilder()
            .setCrossSliceKey(
                CrossSliceKey.newBuilder()
                    .setBaselineSliceKey(slice("sex", "m"))
                    .setComparisonSliceKey(slice("sex", "f")));
    add(cross, key("auc", "", false), 0.04);
    ValidationResult r = run(c, false, metrics(slice(), key("auc", "", false), 0.9), cross.build());
    assertTrue(r.getValidationOk());
    assertEquals(0, r.getMissingCrossSlicesCount());
    ValidationResult none = run(c, false, metrics(slice(), key("auc", "", false), 0.9));
    assertEquals(1, none.getMissingCrossSlicesCount());
    assertFalse(none.getValidationOk());
  }

  @Test
  public void aFailingThresholdIsReportedOncePerSliceAndKey() throws Exception {
    EvalConfig c =
        config(
            ONE_MODEL
                + "metrics_specs { metrics { class_name: 'AUC'"
                + " threshold { value_threshold { lower_bound { value: 0.8 } } }"
                + " per_slice_thresholds { slicing_specs {}"
                + " threshold { value_threshold { lower_bound { value: 0.8 } } } } } }");
    assertEquals(1, failures(run(c, false, metrics(slice(), key("auc", "", false), 0.5))).size());
  }

  @Test
  public void noThresholdsIsNotOkUnlessRubberStamped() throws Exception {
    EvalConfig c = config(ONE_MODEL + "metrics_specs { metrics { class_name: 'AUC' } }");
    ValidationResult r = run(c, false, metrics(slice(), key("auc", "", false), 0.5));
    assertFalse(r.getValidationOk());
    assertTrue(r.getMissingThresholds());
    ValidationResult stamped = run(c, true, metrics(slice(), key("auc", "", false), 0.5));
    assertTrue(stamped.getValidationOk());
    assertTrue(stamped.getRubberStamp());
    assertFalse(stamped.getMissingThresholds());
  }

  @Test
  public void aRubberStampDropsTheBaselineAndChangeThresholdsButKeepsValueThresholds()
      throws Exception {
    EvalConfig c =
        config(
            TWO_MODELS
                + "metrics_specs { model_names: ['candidate', 'baseline'] metrics { class_name:"
                + " 'AUC' threshold { value_threshold { lower_bound { value: 0.7 } }"
                + " change_threshold { absolute { value: 0 } direction: HIGHER_IS_BETTER } } } }");
    EvalConfig first = RubberStamp.withoutBaseline(c);
    assertEquals(1, first.getModelSpecsCount());
    assertEquals("candidate", first.getModelSpecs(0).getName());
    assertEquals(List.of("candidate"), first.getMetricsSpecs(0).getModelNamesList());
    assertFalse(ThresholdIndex.hasChangeThreshold(first));
    assertTrue(ThresholdIndex.anyThreshold(first));
    ValidationResult r = run(first, true, metrics(slice(), key("auc", "", false), 0.6));
    assertFalse(r.getValidationOk());
    assertTrue(r.getRubberStamp());
  }

  @Test
  public void withConfidenceTheIntervalBoundMustPassAndTheMessageSaysBoth() throws Exception {
    EvalConfig c =
        config(
            TWO_MODELS
                + "metrics_specs { metrics { class_name: 'FNR' threshold {"
                + " value_threshold { upper_bound { value: 0.3 } use_confidence_bound: true }"
                + " change_threshold { absolute { value: 0.0 } direction: LOWER_IS_BETTER"
                + " use_confidence_bound: true } } } }");
    MetricsForSlice sure =
        metrics(
            slice(),
            key("fnr", "candidate", false),
            new double[] {0.2, 0.15, 0.29},
            key("fnr", "candidate", true),
            new double[] {-0.05, -0.08, -0.01});
    assertTrue(run(c, false, sure).getValidationOk());
    MetricsForSlice lucky =
        metrics(
            slice(),
            key("fnr", "candidate", false),
            new double[] {0.28, 0.2, 0.36},
            key("fnr", "candidate", true),
            new double[] {-0.01, -0.04, 0.02});
    List<ValidationFailure> failed = failures(run(c, false, lucky));
    assertEquals(2, failed.size());
    assertThat(failed.get(0).getMessage(), containsString("fails with confidence: value 0.28"));
    assertThat(failed.get(0).getMessage(), containsString("[0.2, 0.36]"));
    assertThat(
        failed.get(0).getMessage(), containsString("upper bound 0.36 is above upper_bound 0.3"));
    assertThat(failed.get(1).getMessage(), containsString("difference -0.01 passes"));
    assertThat(failed.get(1).getMessage(), containsString("0.02 is above absolute 0"));
  }
}
