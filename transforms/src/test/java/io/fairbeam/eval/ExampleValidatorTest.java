package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.TfExampleScanner;
import io.fairbeam.proto.tf.Example;
import org.junit.Test;

/**
 * {@link ExampleValidator} alone: which examples are usable, the values it reads from them, and the
 * reason and detail of each kind of unusable one.
 */
public class ExampleValidatorTest {
  private static final EvalPlan PLAN =
      EvalPlan.create(
          EvalConfigLoader.parse(
                  "model_specs { label_key: 'y' prediction_key: 'p' example_weight_key: 'w' }\n"
                      + "metrics_specs { metrics { class_name: 'ExampleCount' }"
                      + " metrics { class_name: 'FalsePositives' } }\n",
                  "v.pbtxt")
              .config(),
          io.fairbeam.config.ConfigLocations.none(),
          BadRecordPolicy.SKIP);

  private static ExampleFeatures decode(Example example) throws Exception {
    ExampleFeatures features = PLAN.features().newExample();
    byte[] bytes = example.toByteArray();
    new TfExampleScanner(PLAN.features()).scan(bytes, bytes.length, features);
    return features;
  }

  private static ExampleValidator.Rejection check(Example example) throws Exception {
    return new ExampleValidator(PLAN).check(decode(example), null, 0);
  }

  @Test
  public void aUsableExampleGivesItsValues() throws Exception {
    ExampleValidator validator = new ExampleValidator(PLAN);
    assertNull(
        validator.check(
            decode(example("y", ints(1), "p", floats(0.25f), "w", floats(2.5f))), null, 0));
    assertEquals(1.0, validator.label(0), 0);
    assertEquals(0.25, validator.score(0), 0);
    assertEquals(2.5, validator.weight(0), 0);
  }

  /** A regression config (every metric takes any label): labels need only be finite. */
  @Test
  public void regressionLabelsNeedOnlyBeFinite() throws Exception {
    EvalPlan regression =
        EvalPlan.create(
            EvalConfigLoader.parse(
                    "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                        + "metrics_specs { metrics { class_name: 'MeanSquaredError' }"
                        + " metrics { class_name: 'MeanLabel' } }\n",
                    "r.pbtxt")
                .config(),
            io.fairbeam.config.ConfigLocations.none(),
            BadRecordPolicy.SKIP);
    assertEquals(false, regression.binaryLabels());
    assertEquals(true, PLAN.binaryLabels());
    ExampleValidator validator = new ExampleValidator(regression);
    byte[] bytes = example("y", floats(41.5f), "p", floats(38f)).toByteArray();
    ExampleFeatures features = regression.features().newExample();
    new TfExampleScanner(regression.features()).scan(bytes, bytes.length, features);
    assertNull(validator.check(features, null, 0));
    assertEquals(41.5, validator.label(0), 0);
    bytes = example("y", floats(Float.NEGATIVE_INFINITY), "p", floats(38f)).toByteArray();
    features = regression.features().newExample();
    new TfExampleScanner(regression.features()).scan(bytes, bytes.length, features);
    ExampleValidator.Rejection rejection = validator.check(features, null, 0);
    assertEquals("label 'y' infinite", rejection.reason());
    assertEquals("field 'y' (label_key) is -Infinity; labels must be finite", rejection.detail());
  }

  @Test
  public void eachProblemHasItsReasonAndDetail() throws Exception {
    String[][] cases = {
      {"label 'y' missing", "field 'y' (label_key) is missing"},
      {"label 'y' not numeric", "field 'y' (label_key) is not numeric: \"yes\""},
      {"label 'y' has 2 values", "field 'y' (label_key) has 2 values, expected 1"},
      {
        "label 'y' outside [0, 1]",
        "field 'y' (label_key) is 2.0, outside [0, 1]; labels must be 0/1 or a probability"
      },
      {"prediction 'p' NaN", "field 'p' (prediction_key) is NaN"},
      {
        "weight 'w' negative",
        "field 'w' (example_weight_key) is -1.0; weights must be finite and not negative"
      },
      {
        "weight 'w' infinite",
        "field 'w' (example_weight_key) is Infinity; weights must be" + " finite and not negative"
      },
    };
    Example[] examples = {
      example("p", floats(0.5f), "w", floats(1)),
      example("y", text("yes"), "p", floats(0.5f), "w", floats(1)),
      example("y", ints(0, 1), "p", floats(0.5f), "w", floats(1)),
      example("y", ints(2), "p", floats(0.5f), "w", floats(1)),
      example("y", ints(1), "p", floats(Float.NaN), "w", floats(1)),
      example("y", ints(1), "p", floats(0.5f), "w", floats(-1)),
      example("y", ints(1), "p", floats(0.5f), "w", floats(Float.POSITIVE_INFINITY)),
    };
    for (int i = 0; i < cases.length; i++) {
      ExampleValidator.Rejection rejection = check(examples[i]);
      assertEquals(new ExampleValidator.Rejection(cases[i][0], cases[i][1]), rejection);
    }
  }
}
