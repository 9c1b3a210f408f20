package io.fairbeam.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import com.google.protobuf.util.JsonFormat;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.EvalRun;
import org.junit.Test;

/** EvalConfig as TFMA users write it: the seed configs verbatim, JSON run records, errors. */
public class EvalConfigLoaderTest {
  public static final String TITANIC =
      String.join(
          "\n",
          "model_specs {",
          "  prediction_key: 'predicted',",
          "  label_key: 'survived'",
          "}",
          "metrics_specs {",
          "  metrics {class_name: \"AUC\"}",
          "  metrics {",
          "    class_name: \"FairnessIndicators\"",
          "    config: '{\"thresholds\": [0.1, 0.50, 0.90]}'",
          "  }",
          "  metrics { class_name: \"ExampleCount\" }",
          "}",
          "slicing_specs {",
          "  feature_keys: ['sex', 'class']",
          "}",
          "slicing_specs {}");

  public static final String CELEBA =
      String.join(
          "\n",
          "model_specs { label_key: \"Smiling\" prediction_key: \"prediction\" }",
          "metrics_specs {",
          "  metrics { class_name: \"FairnessIndicators\" config: '{ \"thresholds\": [0.22, 0.5,"
              + " 0.75] }' }",
          "  metrics { class_name: \"ExampleCount\" }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: \"Young\" }",
          "options {",
          "  compute_confidence_intervals { value: False }",
          "  disabled_outputs{values: \"analysis\"}",
          "}");

  @Test
  public void titanicConfigParsesVerbatim() throws ConfigException {
    EvalConfig config = EvalConfigLoader.parse(TITANIC, "titanic.pbtxt").config();
    assertEquals("predicted", config.getModelSpecs(0).getPredictionKey());
    assertEquals(3, config.getMetricsSpecs(0).getMetricsCount());
    assertEquals(2, config.getSlicingSpecsCount());
    assertEquals(java.util.List.of("sex", "class"), config.getSlicingSpecs(0).getFeatureKeysList());
  }

  @Test
  public void celebaOptionsParseAsWritten() throws ConfigException {
    EvalConfig config = EvalConfigLoader.parse(CELEBA, "celeba.pbtxt").config();
    assertFalse(config.getOptions().getComputeConfidenceIntervals().getValue());
    assertEquals("analysis", config.getOptions().getDisabledOutputs().getValues(0));
  }

  @Test
  public void readsTfmaEvalConfigJson() throws Exception {
    EvalConfig config = EvalConfigLoader.parse(TITANIC, "t").config();
    String json =
        JsonFormat.printer()
            .print(
                EvalRun.newBuilder()
                    .setEvalConfig(config)
                    .setVersion("0.52.0")
                    .setDataLocation("data.tfrecord")
                    .setFileFormat("tfrecords"));
    assertEquals(config, EvalConfigLoader.parse(json, "eval_config.json").config());
  }

  @Test
  public void syntaxErrorNamesLineAndColumn() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> EvalConfigLoader.parse("model_specs {\n  label_key: \n}\n", "c.pbtxt"));
    assertThat(e.getMessage(), containsString("c.pbtxt line 3"));
  }

  @Test
  public void unknownFieldNamesAcceptedFields() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> EvalConfigLoader.parse("model_specs {\n  labelkey: 'x'\n}\n", "c.pbtxt"));
    assertThat(e.getMessage(), containsString("line 2"));
    assertThat(e.getMessage(), containsString("labelkey"));
    assertThat(e.getMessage(), containsString("label_key, label_keys"));
  }

  @Test
  public void locationsNameTheLineOfAMetric() throws ConfigException {
    ConfigLocations locations = EvalConfigLoader.parse(TITANIC, "titanic.pbtxt").locations();
    assertEquals(
        "titanic.pbtxt line 7 (metrics_specs[0].metrics[1])",
        locations.describe("metrics_specs[0].metrics[1]"));
  }
}
