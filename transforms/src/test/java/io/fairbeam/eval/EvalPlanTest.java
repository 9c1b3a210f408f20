package io.fairbeam.eval;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.metrics.Resampling;
import org.junit.Test;

/** Resolving a config: defaults, weighting, and everything refused before data is read. */
public class EvalPlanTest {
  private static EvalPlan plan(String text) throws ConfigException {
    EvalConfigLoader.Loaded loaded = EvalConfigLoader.parse(text, "c.pbtxt");
    return EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
  }

  private static final String BASE =
      "model_specs { label_key: 'y' prediction_key: 'p' %s }\n"
          + "metrics_specs { metrics { class_name: 'FairnessIndicators' } %s }\n%s";

  @Test
  public void defaultsToOverallSliceAndUnweighted() throws ConfigException {
    EvalPlan plan = plan(String.format(BASE, "", "", ""));
    assertEquals(1, plan.slicingSpecs().size());
    assertEquals(0, plan.slicingSpecs().get(0).getFeatureKeysCount());
    assertFalse(plan.weighted());
    assertArrayEquals(
        new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9},
        plan.accumulatorSpec().thresholds(),
        1e-12);
  }

  @Test
  public void weightKeyMakesMetricsWeighted() throws ConfigException {
    EvalPlan plan = plan(String.format(BASE, "example_weight_key: 'w'", "", ""));
    assertTrue(plan.weighted());
    assertEquals(java.util.List.of("y", "p", "w"), plan.features().names());
    EvalPlan unweighted =
        plan(
            String.format(
                BASE, "example_weight_key: 'w'", "example_weights { unweighted: true }", ""));
    assertFalse(unweighted.weighted());
  }

  /** TFMA takes a class name it registers from its own catalogue, whatever module is given. */
  @Test
  public void kerasAndTfmaModulesAreAccepted() throws ConfigException {
    EvalPlan plan =
        plan(
            "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                + "metrics_specs { metrics { class_name: 'AUC' module: 'tf_keras.metrics' }\n"
                + " metrics { class_name: 'Hinge' module: 'tensorflow.keras.metrics' }\n"
                + " metrics { class_name: 'Recall'"
                + " module: 'tensorflow_model_analysis.metrics' } }");
    assertEquals(3, plan.metrics().size());
    assertEquals("auc", plan.metrics().get(0).name());
  }

  @Test
  public void unsupportedFeaturesFailWithTheirLine() {
    String[][] cases = {
      {
        String.format(
            BASE, "", "", "cross_slicing_specs { baseline_spec { slice_keys_sql: 'SELECT 1' } }"),
        "slice_keys_sql"
      },
      {
        String.format(BASE, "", "", "slicing_specs { slice_keys_sql: 'SELECT 1' }"),
        "slice_keys_sql"
      },
      {
        String.format(BASE, "", "binarize { top_k_list { values: [0] } }", ""),
        "binarize.top_k_list has 0"
      },
      {
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'AUC'\n threshold { } } }",
        "sets neither value_threshold nor change_threshold"
      },
      {
        "model_specs { label_key: 'y' }\nmetrics_specs { metrics { class_name: 'AUC' } }",
        "or score it with a SavedModel: withModel(PATH)"
      },
      {
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'AUC'"
            + " threshold { change_threshold { direction: HIGHER_IS_BETTER"
            + " absolute { value: -0.1 } } } } }",
        "evaluate without one (withoutBaseline())"
      },
      {
        "model_specs { label_key: 'y' prediction_key: 'p' }\nmetrics_specs { }",
        "no metrics configured"
      },
      {
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'AUC' }\n"
            + " metrics { class_name: 'AUCPrecisionRecall' config: '{\"name\": \"auc\"}' } }",
        "already produced"
      },
      {
        String.format(BASE, "", "", "options { disabled_outputs { values: 'metricz' } }"),
        "unknown disabled_outputs"
      },
      {
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'Hinge' module: 'my_project.metrics' } }",
        "module \"my_project.metrics\" is Python code, which Fairbeam cannot run"
      },
    };
    for (String[] c : cases) {
      ConfigException e = assertThrows(c[1], ConfigException.class, () -> plan(c[0]));
      assertThat(e.getMessage(), containsString(c[1]));
      assertThat(e.getMessage(), containsString("c.pbtxt"));
    }
  }

  private static final String CONSTRAINT =
      "model_specs { label_key: 'y' prediction_key: 'p' }\n"
          + "metrics_specs { metrics { class_name: 'AUC' } }\n"
          + "fairness_constraints {\n"
          + "  constraint: \"%s\"\n"
          + "  delta: %s\n"
          + "  groups { key: 'M' value { %s } }\n"
          + "}\n";

  @Test
  public void gateConfigErrorsNameTheLineAndWhatIsAccepted() {
    String male = "feature_values { key: 'sex' value: 'm' }";
    String[][] cases = {
      {
        String.format(CONSTRAINT, "(ACC | [M]) - (ACC + ] >= 0.8", "0.05", male),
        "c.pbtxt line 3 (fairness_constraints[0]): constraint \"(ACC | [M]) - (ACC + ]"
            + " >= 0.8\", at position 22: unexpected ']'"
      },
      {
        String.format(CONSTRAINT, "ACC | [W] >= 0.8", "0.05", male),
        "names the group W, which its groups do not define; defined: [M]"
      },
      {
        String.format(CONSTRAINT, "ACCURACY >= 0.8", "0.05", male),
        "unknown measure ACCURACY; accepted: ACC, PR, NR, FPR, TPR, FNR, TNR"
      },
      {String.format(CONSTRAINT, "ACC >= 0.8", "0", male), "delta must lie strictly between"},
      {
        String.format(CONSTRAINT, "ACC@0.5 - (ACC | [M]) <= 0.1", "0.05", male)
            .replace("  delta:", "  bound: CLOPPER_PEARSON\n  delta:"),
        "bound CLOPPER_PEARSON needs thresholded measures, whose values are 0 or 1 (e.g."
            + " ACC@0.5); ACC | [M] has no threshold"
      },
      {
        String.format(CONSTRAINT, "ACC | [M] >= 0.8", "0.05", "feature_keys: 'sex'"),
        "group M is one slice"
      },
      {
        "model_specs { name: 'a' label_key: 'y' prediction_key: 'p' }\n"
            + "model_specs { name: 'b' label_key: 'y' prediction_key: 'q' }\n"
            + "metrics_specs { metrics { class_name: 'AUC' } }\n"
            + "fairness_constraints { constraint: 'ACC >= 0.5' delta: 0.1 }",
        "several candidate models; say which one with model_name: [a, b]"
      },
      {
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'AUC' threshold { value_threshold {"
            + " lower_bound { value: 0.5 } use_confidence_bound: true } } } }",
        "use_confidence_bound needs confidence intervals"
      },
      {
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'AUC' threshold { change_threshold {"
            + " absolute { value: 0.5 } } } } }",
        "change_threshold needs direction"
      },
    };
    for (String[] c : cases) {
      ConfigException e = assertThrows(c[0], ConfigException.class, () -> plan(c[0]));
      assertThat(e.getMessage(), containsString(c[1]));
    }
  }

  @Test
  public void aBareMeasureConstraintJudgesAllExamples() throws ConfigException {
    EvalPlan plan =
        plan(
            "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                + "metrics_specs { metrics { class_name: 'AUC' } }\n"
                + "fairness_constraints { constraint: 'ACC >= 0.5' delta: 0.1 }");
    assertEquals(1, plan.constraints().populations().size());
    assertTrue(plan.constraints().populations().get(0).groups().isEmpty());
    assertTrue(plan.gates());
  }

  @Test
  public void seedConfigsResolve() throws ConfigException {
    EvalPlan titanic = plan(io.fairbeam.config.EvalConfigLoaderTest.TITANIC);
    assertEquals(3, titanic.metrics().size());
    assertTrue(titanic.accumulatorSpec().histogram());
    EvalPlan celeba = plan(io.fairbeam.config.EvalConfigLoaderTest.CELEBA);
    assertArrayEquals(new double[] {0.22, 0.5, 0.75}, celeba.accumulatorSpec().thresholds(), 0.0);
    assertTrue(celeba.outputEnabled("metrics"));
  }

  @Test
  public void severalModelsNeedDistinctNamesAndOneBaseline() throws ConfigException {
    String two =
        "model_specs { name: 'a' label_key: 'y' prediction_key: 'p' %s }\n"
            + "model_specs { name: '%s' label_key: 'y' prediction_key: 'q' %s }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' } %s }\n";
    EvalPlan plan = plan(String.format(two, "", "b", "is_baseline: true", ""));
    assertEquals(2, plan.models().size());
    assertEquals("b", plan.baseline().specName());
    assertEquals("a", plan.models().get(0).metricModelName());
    assertEquals(java.util.List.of("y", "p", "q"), plan.features().names());
    assertThat(
        assertThrows(ConfigException.class, () -> plan(String.format(two, "", "a", "", "")))
            .getMessage(),
        containsString("two model_specs are named \"a\""));
    assertThat(
        assertThrows(
                ConfigException.class,
                () -> plan(String.format(two, "is_baseline: true", "b", "is_baseline: true", "")))
            .getMessage(),
        containsString("more than one model_specs has is_baseline"));
    assertThat(
        assertThrows(
                ConfigException.class,
                () -> plan(String.format(two, "", "b", "", "model_names: 'a'")))
            .getMessage(),
        containsString("metrics for only some models are not supported"));
    // A single spec keeps TFMA's empty model_name in metric keys.
    assertEquals(
        "", plan(String.format(BASE, "name: 'only'", "", "")).models().get(0).metricModelName());
  }

  @Test
  public void confidenceIntervalsDefaultToTfmasJackknife() {
    EvalPlan plan =
        plan(
            String.format(
                BASE, "", "", "options { compute_confidence_intervals { value: true } }"));
    assertEquals(ConfidenceIntervals.tfmaJackknife(), plan.confidenceIntervals());
    assertEquals(new Resampling(Resampling.Method.JACKKNIFE, 20), plan.resampling());
    assertEquals(Resampling.NONE, plan(String.format(BASE, "", "", "")).resampling());
  }

  @Test
  public void fairbeamsIntervalFieldsSetSamplesLevelAndSeed() {
    EvalPlan plan =
        plan(
            String.format(
                BASE,
                "",
                "",
                "options { compute_confidence_intervals { value: true }"
                    + " confidence_intervals { method: POISSON_BOOTSTRAP num_samples: 200"
                    + " confidence_level: 0.9 seed: 7 } }"));
    assertEquals(
        new ConfidenceIntervals(Resampling.Method.POISSON_BOOTSTRAP, 200, 0.9, 7),
        plan.confidenceIntervals());
    assertEquals(201, plan.resampling().rows());
  }

  @Test
  public void intervalFieldsOutOfRangeAreRefusedNamingTheirLine() {
    for (String bad :
        new String[] {"num_samples: 1", "num_samples: 5000", "confidence_level: 1.5"}) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  plan(
                      String.format(
                          BASE,
                          "",
                          "",
                          "options { compute_confidence_intervals { value: true }\n"
                              + " confidence_intervals { "
                              + bad
                              + " } }")));
      assertTrue(e.getMessage(), e.getMessage().contains("options.confidence_intervals"));
      assertTrue(e.getMessage(), e.getMessage().contains(bad.substring(0, bad.indexOf(':'))));
    }
  }
}
