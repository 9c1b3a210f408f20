package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.tf.Example;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * TFMA's {@code Mean} of a feature, plain and weighed by another feature, worked by hand; keyed by
 * name alone whatever the models, as TFMA keys it.
 */
public class FeatureMeanTest {
  @Test
  public void meansAFeatureOnceWhateverTheModels() throws IOException {
    EvalPlan plan =
        OverallValues.plan(
            "model_specs { name: 'a' label_key: 'y' prediction_key: 'p' }\n"
                + "model_specs { name: 'b' label_key: 'y' prediction_key: 'q' }\n"
                + "metrics_specs { metrics { class_name: 'ExampleCount' }"
                + " metrics { class_name: 'Mean' config: '{\"feature_key_path\": [\"features\","
                + " \"fare\"]}' }"
                + " metrics { class_name: 'Mean' config: '{\"feature_key_path\": [\"features\","
                + " \"fare\"], \"example_weights_key_path\": [\"features\", \"k\"], \"name\":"
                + " \"weighed\"}' } }",
            BadRecordPolicy.SKIP);
    List<Example> rows = new ArrayList<>();
    double[][] values = {{10, 1}, {20, 3}, {60, 0}};
    for (double[] v : values) {
      rows.add(
          example(
              "y",
              ints(1),
              "p",
              floats(0.5f),
              "q",
              floats(0.5f),
              "fare",
              floats((float) v[0]),
              "k",
              floats((float) v[1])));
    }
    rows.add(example("y", ints(1), "p", floats(0.5f), "q", floats(0.5f), "k", floats(1)));
    List<BadRecord> bad = new ArrayList<>();
    Map<String, Double> means = OverallValues.of(plan, rows, bad);
    // (10 + 20 + 60) / 3, and (1·10 + 3·20 + 0·60) / (1 + 3 + 0); one key each, no model name.
    assertEquals(30.0, means.get("mean_features.fare|"), 1e-9);
    assertEquals(17.5, means.get("weighed|"), 1e-9);
    // And example_count, once per model (both under one short name here).
    assertEquals(3, means.size());
    assertEquals(1, bad.size());
    assertTrue(
        bad.get(0).getDetail(),
        bad.get(0).getDetail().contains("field 'fare' (Mean's feature_key_path) is missing"));
  }
}
