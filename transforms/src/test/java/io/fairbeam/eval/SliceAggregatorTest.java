package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.ConfigLocations;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.TfExampleScanner;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.SampleWeights;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.slice.SliceKey;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

/**
 * {@link SliceAggregator} alone: each example lands in Overall and in its own slices, with its
 * weight, for every model; slicing-feature presence is counted; drain starts afresh.
 */
public class SliceAggregatorTest {
  private static final EvalPlan PLAN =
      EvalPlan.create(
          EvalConfigLoader.parse(
                  "model_specs { name: 'a' label_key: 'y' prediction_key: 'p' example_weight_key: 'w' }\n"
                      + "model_specs { name: 'b' label_key: 'y' prediction_key: 'q' example_weight_key: 'w'"
                      + " }\n"
                      + "metrics_specs { metrics { class_name: 'ExampleCount' } }\n"
                      + "slicing_specs {} slicing_specs { feature_keys: 'g' }"
                      + " slicing_specs { feature_keys: 'absent' }\n",
                  "s.pbtxt")
              .config(),
          ConfigLocations.none(),
          BadRecordPolicy.FAIL);

  private static void add(SliceAggregator aggregator, Example example) throws Exception {
    ExampleFeatures features = PLAN.features().newExample();
    byte[] bytes = example.toByteArray();
    new TfExampleScanner(PLAN.features()).scan(bytes, bytes.length, features);
    ExampleValidator validator = new ExampleValidator(PLAN);
    assertNull(validator.check(features, null, 0));
    aggregator.add(features, validator, SampleWeights.pointEstimateOnly());
  }

  @Test
  public void examplesLandInTheirSlicesWithTheirWeights() throws Exception {
    SliceAggregator aggregator = new SliceAggregator(PLAN);
    add(
        aggregator,
        example(
            "y", ints(1), "p", floats(0.9f), "q", floats(0.1f), "w", floats(2), "g", text("x")));
    add(
        aggregator,
        example(
            "y", ints(0), "p", floats(0.2f), "q", floats(0.3f), "w", floats(1), "g", text("z")));
    add(aggregator, example("y", ints(1), "p", floats(0.7f), "q", floats(0.8f), "w", floats(4)));
    RunCounts counts = new RunCounts();
    Map<String, ModelAccumulators> slices = new TreeMap<>();
    aggregator.drain(counts).forEach((key, value) -> slices.put(key.toString(), value));
    assertEquals(
        java.util.List.of("Overall", "g:x", "g:z"), java.util.List.copyOf(slices.keySet()));
    for (int model = 0; model < 2; model++) {
      assertEquals(7.0, slices.get("Overall").model(model).weightedExampleCount(), 0);
      assertEquals(3, slices.get("Overall").model(model).exampleCount(), 0);
      assertEquals(2.0, slices.get("g:x").model(model).weightedExampleCount(), 0);
      assertEquals(6.0, slices.get("Overall").model(model).weightedLabelSum(), 0);
    }
    assertEquals(
        0.9 * 2 + 0.2 + 0.7 * 4, slices.get("Overall").model(0).weightedPredictionSum(), 1e-6);
    assertEquals(
        0.1 * 2 + 0.3 + 0.8 * 4, slices.get("Overall").model(1).weightedPredictionSum(), 1e-6);
    assertEquals(Map.of("g", 2L, "absent", 0L), counts.slicingFeatureExamples());
    assertTrue(aggregator.drain(new RunCounts()).isEmpty());
    assertTrue(SliceKey.OVERALL.isOverall());
  }
}
