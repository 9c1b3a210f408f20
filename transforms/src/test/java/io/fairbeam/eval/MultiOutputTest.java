package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.ConfigException;
import io.fairbeam.extract.TestExamples;
import io.fairbeam.proto.tf.Example;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Multi-output models as TFMA 0.52 evaluates them: each output's label, score and weight read from
 * its own features, its metrics keyed with {@code output_name}, averaged over outputs with {@code
 * output_weights}; expected values worked by hand.
 */
public class MultiOutputTest {
  private static final String MODEL =
      "model_specs { label_keys { key: 'a' value: 'la' } label_keys { key: 'b' value: 'lb' }"
          + " prediction_keys { key: 'a' value: 'sa' } prediction_keys { key: 'b' value: 'sb' }"
          + " example_weight_keys { key: 'a' value: 'wa' }"
          + " example_weight_keys { key: 'b' value: 'wb' } }\n";

  /** Per row: output a's label, score and weight, then output b's. */
  private static final double[][] ROWS = {
    {1, 0.9, 1, 0, 0.8, 2},
    {0, 0.7, 1, 1, 0.6, 1},
    {1, 0.2, 2, 1, 0.9, 1},
    {0, 0.1, 1, 0, 0.3, 3},
  };

  private static EvalPlan plan(String config) {
    return OverallValues.plan(config, BadRecordPolicy.FAIL);
  }

  private static List<Example> rows() {
    List<Example> rows = new ArrayList<>();
    for (double[] r : ROWS) {
      rows.add(
          example(
              "la",
              ints((long) r[0]),
              "sa",
              floats((float) r[1]),
              "wa",
              floats((float) r[2]),
              "lb",
              ints((long) r[3]),
              "sb",
              floats((float) r[4]),
              "wb",
              floats((float) r[5])));
    }
    return rows;
  }

  @Test
  public void eachOutputIsKeyedAndAveragedWithItsWeight() throws IOException {
    EvalPlan plan =
        plan(
            MODEL
                + "metrics_specs { output_names: ['a', 'b']"
                + " output_weights { key: 'a' value: 1 } output_weights { key: 'b' value: 3 }"
                + " metrics { class_name: 'Recall' }"
                + " metrics { class_name: 'WeightedExampleCount' } }");
    Map<String, Double> values = OverallValues.of(plan, rows(), null);
    // a: positives row 1 (weight 1, .9 above 0.5) and row 3 (weight 2, .2 below): recall 1/3.
    assertEquals(1.0 / 3, values.get("recall|a/"), 1e-12);
    // b: positives rows 2 and 3, both above 0.5.
    assertEquals(1.0, values.get("recall|b/"), 1e-12);
    // The output average weighs a 1 and b 3.
    assertEquals((1.0 / 3 + 3 * 1.0) / 4, values.get("recall|"), 1e-12);
    // Each output's own weights: 1+1+2+1 and 2+1+1+3.
    assertEquals(5.0, values.get("weighted_example_count|a/"), 0);
    assertEquals(7.0, values.get("weighted_example_count|b/"), 0);
    assertEquals((5.0 + 3 * 7.0) / 4, values.get("weighted_example_count|"), 1e-12);
    assertEquals(6, values.size());
  }

  @Test
  public void aSpecNamingNoOutputCountsTheRecordsOnce() throws IOException {
    EvalPlan plan =
        plan(
            MODEL.replaceAll(" example_weight_keys \\{[^}]*\\}", "")
                + "metrics_specs { output_names: ['b'] metrics { class_name: 'Recall' } }\n"
                + "metrics_specs { metrics { class_name: 'ExampleCount'"
                + " config: '{\"name\": \"records\"}' } }");
    Map<String, Double> values = OverallValues.of(plan, rows(), null);
    assertEquals(4.0, values.get("records|"), 0);
    assertEquals(1.0, values.get("recall|b/"), 0);
    assertEquals(2, values.size());
  }

  @Test
  public void outputsTheModelDoesNotHaveAreRefusedWithTheirLine() {
    String[][] cases = {
      {MODEL + "metrics_specs {\n metrics { class_name: 'Recall' } }", "name the outputs"},
      {MODEL + "metrics_specs {\n metrics { class_name: 'ExampleCount' } }", "weighs each"},
      {
        MODEL + "metrics_specs {\n output_names: ['c'] metrics { class_name: 'Recall' } }",
        "\"c\", which is not an output"
      },
      {
        MODEL
            + "metrics_specs {\n output_names: ['a'] output_weights { key: 'b' value: 1 }"
            + " metrics { class_name: 'Recall' } }",
        "output_weights weighs the output \"b\""
      },
      {
        "model_specs { label_keys { key: 'a' value: 'la' } prediction_keys { key: 'b' value: 'sb' }"
            + " }\nmetrics_specs { metrics { class_name: 'ExampleCount' } }",
        "a label and a prediction for each output"
      },
      {
        "model_specs { label_keys { key: 'a' value: 'la' } label_keys { key: 'b' value: 'lb' }"
            + " prediction_keys { key: 'a' value: 'sa' } prediction_keys { key: 'b' value: 'sb' }"
            + " example_weight_keys { key: 'a' value: 'wa' } }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' } }",
        "some outputs only"
      },
      {
        "model_specs { label_key: 'la' label_keys { key: 'a' value: 'la' }"
            + " prediction_keys { key: 'a' value: 'sa' } }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' } }",
        "give one pair"
      },
    };
    for (String[] c : cases) {
      String message = assertThrows(c[0], ConfigException.class, () -> plan(c[0])).getMessage();
      assertTrue(message, message.contains(c[1]) && message.contains("c.pbtxt line"));
    }
  }

  /**
   * A fairness constraint on one output of a multi-output model ({@code output_name}) judges that
   * output's labels, scores and weights: its bounds equal those of the same constraint on a
   * single-output model reading that output's features.
   */
  @Test
  public void aConstraintJudgesTheOutputItNames() throws IOException {
    String constraint =
        "fairness_constraints { constraint: '(FPR@0.5 | [A]) <= 0.9' delta: 0.1"
            + " groups { key: 'A' value { feature_values { key: 'g' value: 'x' } } }%s }";
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Example row = rows().get(i % ROWS.length);
      Example.Builder b = row.toBuilder();
      b.getFeaturesBuilder().putFeature("g", TestExamples.text(i % 3 == 0 ? "y" : "x"));
      rows.add(b.build());
    }
    EvalPlan outputPlan =
        plan(
            MODEL
                + "metrics_specs { output_names: ['b'] metrics { class_name: 'ExampleCount' } }\n"
                + String.format(constraint, " output_name: 'b'"));
    EvalPlan singlePlan =
        plan(
            "model_specs { label_key: 'lb' prediction_key: 'sb' example_weight_key: 'wb' }\n"
                + "metrics_specs { metrics { class_name: 'ExampleCount' } }\n"
                + String.format(constraint, ""));
    var byOutput = judge(outputPlan, rows).getConstraints(0);
    var single = judge(singlePlan, rows).getConstraints(0);
    assertEquals(single.getBaseNodesList(), byOutput.getBaseNodesList());
    assertEquals(single.getGUpperBound(), byOutput.getGUpperBound(), 0);
    assertEquals("b", byOutput.getOutputName());
    assertTrue(byOutput.getMessage(), byOutput.getMessage().contains("on output 'b'"));
    // Output b's negatives in group x: rows 0 and 3 of ROWS (0.8 and 0.3, weights 2 and 3), so the
    // weighted FPR at 0.5 is 2 / 5; output a's would differ (0.7 and 0.1: 1 / 2).
    assertEquals(2.0 / 5, byOutput.getBaseNodes(0).getValue(), 1e-12);

    String counts =
        "metrics_specs { output_names: ['b'] metrics { class_name: 'ExampleCount' } }\n";
    String[][] refused = {
      {MODEL + counts + String.format(constraint, ""), "several outputs; say which one", "[a, b]"},
      {
        MODEL + counts + String.format(constraint, " output_name: 'c'"),
        "\"c\" is not an output",
        "[a, b]"
      },
      {
        "model_specs { label_key: 'lb' prediction_key: 'sb' }\n"
            + counts.replace("output_names: ['b'] ", "")
            + String.format(constraint, " output_name: 'b'"),
        "has one output",
        "output_name"
      },
    };
    for (String[] c : refused) {
      String message = assertThrows(c[0], ConfigException.class, () -> plan(c[0])).getMessage();
      assertTrue(message, message.contains(c[1]) && message.contains(c[2]));
      assertTrue(message, message.contains("fairness_constraints"));
    }
  }

  private static io.fairbeam.proto.ConstraintReport judge(EvalPlan plan, List<Example> rows)
      throws IOException {
    return plan.constraints()
        .judge(OverallValues.drain(plan, rows, null).counts().constraintSums());
  }
}
