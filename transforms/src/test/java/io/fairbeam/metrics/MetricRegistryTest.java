package io.fairbeam.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.PlotData;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Metric construction from class names and JSON configs, and its errors. */
public class MetricRegistryTest {
  @Test
  public void unknownClassListsAcceptedNames() {
    MetricConfigException e =
        assertThrows(
            MetricConfigException.class,
            () -> MetricRegistry.create("FairnessIndicator", "", false));
    assertThat(e.getMessage(), containsString("FairnessIndicators"));
    assertThat(e.getMessage(), containsString("AUC"));
  }

  @Test
  public void malformedJsonIsReported() {
    MetricConfigException e =
        assertThrows(
            MetricConfigException.class,
            () -> MetricRegistry.create("FairnessIndicators", "{\"thresholds\": [0.5", false));
    assertThat(e.getMessage(), containsString("malformed JSON"));
  }

  @Test
  public void unknownArgumentIsReported() {
    MetricConfigException e =
        assertThrows(
            MetricConfigException.class,
            () -> MetricRegistry.create("FairnessIndicators", "{\"threshold\": [0.5]}", false));
    assertThat(e.getMessage(), containsString("threshold"));
    assertThat(e.getMessage(), containsString("thresholds"));
  }

  @Test
  public void outerBracesMayBeOmitted() {
    FairnessIndicators fi =
        (FairnessIndicators)
            MetricRegistry.create("FairnessIndicators", "\"thresholds\": [0.3]", false);
    assertEquals(0.3, fi.thresholds()[0], 0.0);
  }

  @Test
  public void confusionMetricsUseTfmaNamesAndDefaultThreshold() {
    List<String> names = new ArrayList<>();
    for (String className :
        List.of(
            "FallOut",
            "FPR",
            "MissRate",
            "Specificity",
            "NPV",
            "F1Score",
            "MatthewsCorrelationCoefficient",
            "BalancedAccuracy",
            "PredictedPositiveRate",
            "BinaryAccuracy",
            "Precision",
            "Recall",
            "FalseDiscoveryRate",
            "FalseOmissionRate")) {
      MetricDefinition metric = MetricRegistry.create(className, "", false);
      AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
      metric.declareNeeds(needs);
      assertEquals(0.5, needs.build().thresholds()[0], 0.0);
      SliceAccumulator acc = new SliceAccumulator(needs.build());
      acc.add(1, 0.8, 1);
      acc.add(0, 0.2, 1);
      metric.compute(
          new SliceStatistics(acc),
          new MetricSink() {
            @Override
            public void metric(String name, boolean weighted, MetricValue value) {
              names.add(name);
            }

            @Override
            public void plot(String name, boolean weighted, PlotData value) {}
          });
    }
    assertEquals(
        List.of(
            "fall_out",
            "fpr",
            "miss_rate",
            "specificity",
            "npv",
            "f1_score",
            "matthews_correlation_coefficient",
            "balanced_accuracy",
            "predicted_positive_rate",
            "binary_accuracy",
            "precision",
            "recall",
            "false_discovery_rate",
            "false_omission_rate"),
        names);
  }

  @Test
  public void severalThresholdsGiveAnArray() {
    MetricDefinition metric =
        MetricRegistry.create("Precision", "{\"thresholds\": [0.3, 0.6]}", false);
    List<MetricValue> values =
        RecordingSink.compute(metric, new double[][] {{1, 0.5}, {0, 0.4}, {1, 0.9}}).metrics;
    assertEquals(List.of(2.0 / 3, 1.0), values.get(0).getArrayValue().getFloat64ValuesList());
  }

  /**
   * Every metric's declared keys are exactly the keys it computes, in order, for each class name
   * with its default arguments and with some of its own (weighted and not): the declaration is what
   * the config checks rely on to refuse two metrics writing one key.
   */
  @Test
  public void declaredKeysAreTheComputedKeys() {
    java.util.Map<String, String> configs =
        java.util.Map.of(
            "FairnessIndicators", "{\"thresholds\": [0.25, 0.5, 0.755]}",
            "ConfusionMatrixAtThresholds", "{\"thresholds\": [0.3, 0.7]}",
            "AUC", "{\"curve\": \"PR\", \"name\": \"pr\"}",
            "ConfusionMatrixPlot", "{\"num_thresholds\": 7}",
            "SensitivityAtSpecificity", "{\"specificity\": 0.5}",
            "SpecificityAtSensitivity", "{\"sensitivity\": [0.5, 0.7]}",
            "PrecisionAtRecall", "{\"recall\": 0.5, \"thresholds\": [0.2, 0.4]}",
            "RecallAtPrecision", "{\"precision\": 0.5, \"num_thresholds\": 20}",
            "RecallAtFalsePositiveRate", "{\"false_positive_rate\": 0.1}",
            "ThresholdAtRecall", "{\"recall\": 0.5, \"name\": \"t\"}");
    for (String className : MetricRegistry.classNames()) {
      for (String config : new String[] {"", configs.getOrDefault(className, "")}) {
        for (boolean weighted : new boolean[] {false, true}) {
          MetricDefinition metric;
          try {
            metric = MetricRegistry.create(className, config, weighted);
          } catch (MetricConfigException e) {
            continue; // needs arguments; its own config below has them
          }
          AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
          metric.declareNeeds(needs);
          SliceAccumulator accumulator = new SliceAccumulator(needs.build());
          java.util.List<String> metrics = new java.util.ArrayList<>();
          java.util.List<String> plots = new java.util.ArrayList<>();
          MetricSink sink =
              new MetricSink() {
                @Override
                public void metric(String name, boolean w, io.fairbeam.proto.tfma.MetricValue v) {
                  metrics.add(name);
                }

                @Override
                public void plot(String name, boolean w, io.fairbeam.proto.tfma.PlotData v) {
                  plots.add(name);
                }
              };
          metric.compute(new SliceStatistics(accumulator), sink);
          if (metric.comparesModels()) {
            // A comparison writes nothing per model, and its keys for a candidate.
            org.junit.Assert.assertTrue(className, metrics.isEmpty() && plots.isEmpty());
            AccumulatorSpec spec = needs.build();
            metric.compare(new PairedCounts(spec.thresholds().length), spec.thresholds(), sink);
          }
          String what = className + " " + config;
          org.junit.Assert.assertEquals(what, metrics, metric.metricKeys());
          org.junit.Assert.assertEquals(what, plots, metric.plotKeys());
          org.junit.Assert.assertTrue(what, !metrics.isEmpty() || !plots.isEmpty());
        }
      }
    }
  }
}
