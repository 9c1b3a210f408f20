package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.proto.tfma.ValidationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;

/**
 * A gate on {@code use_confidence_bound} for a rate, through the whole pipeline, against a hand
 * computation from the counts: a slice that found 10 of its 10 positives has a recall of 1 in every
 * jackknife replicate (TFMA's interval [1, 1] would pass a lower bound of 0.8), but Wilson's
 * interval from 10 of 10, [10 / (10 + z²), 1] = [0.7225, 1], does not; the large slice, 360 of 400,
 * passes on its own score interval.
 */
public class DecisionGateTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String CONFIG =
      "model_specs { label_key: 'label' prediction_key: 'score' }\n"
          + "metrics_specs {\n"
          + "  metrics { class_name: 'Recall' threshold {\n"
          + "    value_threshold { lower_bound { value: 0.8 } use_confidence_bound: true } } }\n"
          + "}\n"
          + "slicing_specs { feature_keys: 'group' }\n"
          + "options { compute_confidence_intervals { value: true } }\n";

  private static void add(List<byte[]> records, String group, int label, float score, int n) {
    for (int i = 0; i < n; i++) {
      records.add(
          example("group", text(group), "label", ints(label), "score", floats(score))
              .toByteArray());
    }
  }

  @Test
  public void aRateIsGatedOnItsScoreIntervalFromTheCounts() {
    List<byte[]> records = new ArrayList<>();
    add(records, "small", 1, 0.9f, 10);
    add(records, "small", 0, 0.1f, 5);
    add(records, "large", 1, 0.9f, 360);
    add(records, "large", 1, 0.1f, 40);
    add(records, "large", 0, 0.1f, 200);
    EvalResult result =
        pipeline
            .apply(Create.of(records).withCoder(ByteArrayCoder.of()))
            .apply(FairnessEval.evaluate(EvalConfigLoader.parse(CONFIG, "gate.pbtxt")));
    double lower = Math.pow(0.025, 0.1);
    PAssert.thatSingleton(result.validations())
        .satisfies(
            validation -> {
              assertFalse(validation.getValidationOk());
              assertEquals(
                  validation.toString(), 1, validation.getMetricValidationsPerSliceCount());
              MetricsValidationForSlice slice = validation.getMetricValidationsPerSlice(0);
              assertEquals(
                  "small",
                  slice.getSliceKey().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
              ValidationFailure failure = slice.getFailures(0);
              assertEquals("recall", failure.getMetricKey().getName());
              assertThat(
                  failure.getMessage(),
                  containsString(
                      String.format(
                          Locale.ROOT,
                          "value 1 passes, but the 95%% score interval from the counts [%.6g, 1]",
                          lower)));
              assertThat(failure.getMessage(), containsString("is below lower_bound 0.8"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /**
   * An AUC gated on {@code use_confidence_bound}: the small slice ranks all 10 positives above its
   * 5 negatives, an AUC of 1 in every jackknife replicate; its score interval from 10 positives and
   * 5 negatives, [0.716546, 1] (scipy.optimize.brentq, as in AucScoreIntervalTest), fails a lower
   * bound of 0.8.
   */
  @Test
  public void anAucIsGatedOnItsScoreInterval() {
    List<byte[]> records = new ArrayList<>();
    add(records, "small", 1, 0.9f, 10);
    add(records, "small", 0, 0.1f, 5);
    String config =
        "model_specs { label_key: 'label' prediction_key: 'score' }\n"
            + "metrics_specs {\n"
            + "  metrics { class_name: 'AUC' threshold {\n"
            + "    value_threshold { lower_bound { value: 0.8 } use_confidence_bound: true } } }\n"
            + "}\n"
            + "slicing_specs { feature_keys: 'group' }\n"
            + "options { compute_confidence_intervals { value: true } }\n";
    EvalResult result =
        pipeline
            .apply(Create.of(records).withCoder(ByteArrayCoder.of()))
            .apply(FairnessEval.evaluate(EvalConfigLoader.parse(config, "auc-gate.pbtxt")));
    PAssert.thatSingleton(result.validations())
        .satisfies(
            validation -> {
              assertFalse(validation.getValidationOk());
              ValidationFailure failure = validation.getMetricValidationsPerSlice(0).getFailures(0);
              assertEquals("auc", failure.getMetricKey().getName());
              assertThat(failure.getMessage(), containsString("[0.716546, 1]"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /**
   * Two models on the same 150 examples: of the 100 negatives the baseline flags 10 and the
   * candidate those 10 and 4 more, a false positive rate up by 0.04. The change's paired interval
   * from the table (10, 4, 0, 86) is [−0.00243281, 0.0910516] (Newcombe's method 10, computed in
   * Python over statsmodels' Wilson intervals, as in PairedDifferenceIntervalTest): it fails a
   * change of at most 0.08 with confidence and passes one of at most 0.1, which two independent
   * samples' interval ([−0.052, 0.133]) would fail.
   */
  private EvalResult twoModels(double absolute) {
    return pipeline
        .apply(Create.of(TwoModelRecords.records()).withCoder(ByteArrayCoder.of()))
        .apply(
            FairnessEval.evaluate(
                EvalConfigLoader.parse(TwoModelRecords.config(absolute), "change-gate.pbtxt")));
  }

  @Test
  public void aChangeIsGatedOnItsPairedIntervalFromTheCounts() {
    PAssert.thatSingleton(twoModels(0.08).validations())
        .satisfies(
            validation -> {
              assertFalse(validation.toString(), validation.getValidationOk());
              ValidationFailure failure = validation.getMetricValidationsPerSlice(0).getFailures(0);
              assertEquals("fall_out", failure.getMetricKey().getName());
              assertThat(
                  failure.getMessage(),
                  containsString(
                      "the upper bound of the 95% paired score interval from the counts"
                          + " [-0.00243281, 0.0910516] does not"));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aChangeThePairedIntervalSupportsPasses() {
    PAssert.thatSingleton(twoModels(0.1).validations())
        .satisfies(
            validation -> {
              assertEquals(validation.toString(), true, validation.getValidationOk());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
