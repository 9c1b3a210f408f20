package io.fairbeam.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;

/**
 * TFMA's flip rates against counts by hand, on {@link DecisionGateTest#twoModelRecords()}: at 0.5
 * both models flag the 50 positives, the baseline 10 of the 100 negatives and the candidate those
 * and 4 more, so of 150 examples 86 stay negative, 4 flip to positive, none to negative and 60 stay
 * positive; at 0.95 nothing is positive. The symmetric prediction difference counts the same 4.
 * (compat/run checks these metrics against TFMA 0.52 itself, weighted, in case {@code
 * models-flips}.)
 */
public class FlipRatesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String MODELS =
      "model_specs { name: 'candidate' label_key: 'label' prediction_key: 'candidate_score' }\n"
          + "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'baseline_score'"
          + " is_baseline: true }\n";

  @Test
  public void ratesEqualTheCountsByHand() {
    String config =
        MODELS
            + "metrics_specs {\n"
            + "  metrics { class_name: 'BooleanFlipRates' }\n"
            + "  metrics { class_name: 'SymmetricFlipRate' config: '{\"name\": \"high\","
            + " \"threshold\": 0.95}' }\n"
            + "  metrics { class_name: 'SymmetricPredictionDifference' }\n"
            + "}\n"
            + "slicing_specs {}\n";
    EvalResult result =
        pipeline
            .apply(Create.of(TwoModelRecords.records()).withCoder(ByteArrayCoder.of()))
            .apply(FairnessEval.evaluate(EvalConfigLoader.parse(config, "flips.pbtxt")));
    PAssert.thatSingleton(result.metrics())
        .satisfies(
            metrics -> {
              Map<String, Double> diffs = new HashMap<>();
              for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
                assertTrue(kv.getKey().toString(), kv.getKey().getIsDiff());
                assertEquals("candidate", kv.getKey().getModelName());
                diffs.put(kv.getKey().getName(), kv.getValue().getDoubleValue().getValue());
              }
              assertEquals(4 / 150.0, diffs.get("flip_rate"), 1e-12);
              assertEquals(86 / 150.0, diffs.get("neg_to_neg_flip_rate"), 1e-12);
              assertEquals(4 / 150.0, diffs.get("neg_to_pos_flip_rate"), 1e-12);
              assertEquals(0.0, diffs.get("pos_to_neg_flip_rate"), 0);
              assertEquals(60 / 150.0, diffs.get("pos_to_pos_flip_rate"), 1e-12);
              assertEquals(0.0, diffs.get("high"), 0);
              // Only the 4 negatives the candidate scores 0.9 and the baseline 0.1 differ:
              // 2 · 0.8 / 1.0 each (in float32, as TFMA computes it), over 150 examples.
              double each = (2f * Math.abs(0.1f - 0.9f)) / Math.abs(0.1f + 0.9f);
              assertEquals(1.6, each, 1e-6);
              assertEquals(4 * each / 150, diffs.get("symmetric_prediction_difference"), 1e-15);
              assertEquals(7, diffs.size());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  /** With jackknife intervals, a flip rate gets one, around its value (PairedReplicatesTest). */
  @Test
  public void flipRatesGetIntervals() {
    String config =
        MODELS
            + "metrics_specs { metrics { class_name: 'SymmetricFlipRate' } }\n"
            + "slicing_specs {}\n"
            + "options { compute_confidence_intervals { value: true } }\n";
    EvalResult result =
        pipeline
            .apply(Create.of(TwoModelRecords.records()).withCoder(ByteArrayCoder.of()))
            .apply(FairnessEval.evaluate(EvalConfigLoader.parse(config, "flips-ci.pbtxt")));
    PAssert.thatSingleton(result.metrics())
        .satisfies(
            metrics -> {
              MetricsForSlice.MetricKeyAndValue flip =
                  metrics.getMetricKeysAndValuesList().stream()
                      .filter(kv -> kv.getKey().getName().equals("symmetric_flip_rate"))
                      .findFirst()
                      .orElseThrow();
              double value = flip.getValue().getDoubleValue().getValue();
              assertEquals(4 / 150.0, value, 1e-12);
              double lower =
                  flip.getConfidenceInterval().getLowerBound().getDoubleValue().getValue();
              double upper =
                  flip.getConfidenceInterval().getUpperBound().getDoubleValue().getValue();
              assertTrue(flip.toString(), lower < value && value < upper);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aFlipRateWithoutABaselineIsRefusedWithItsLine() {
    String config =
        "model_specs { label_key: 'label' prediction_key: 'candidate_score' }\n"
            + "metrics_specs {\n"
            + "  metrics { class_name: 'SymmetricFlipRate' }\n"
            + "}\n";
    EvalConfigLoader.Loaded loaded = EvalConfigLoader.parse(config, "flips.pbtxt");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL));
    assertThat(e.getMessage(), containsString("flips.pbtxt line 3"));
    assertThat(e.getMessage(), containsString("add a model_specs with is_baseline: true"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
