package io.fairbeam.metrics;

import static org.junit.Assert.assertEquals;

import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.PlotData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Fairness Indicators: key names as the fairness_indicators package writes them, and values. */
public class FairnessIndicatorsTest {
  @Test
  public void thresholdDigitsFollowLongestThreshold() {
    double[] mixed = {0.25, 0.5, 0.75};
    assertEquals("0.25", FairnessIndicators.thresholdText(0.25, mixed));
    assertEquals("0.50", FairnessIndicators.thresholdText(0.5, mixed));
    double[] seed = {0.1, 0.50, 0.90};
    assertEquals("0.5", FairnessIndicators.thresholdText(0.5, seed));
    double[] celeba = {0.22, 0.5, 0.75};
    assertEquals("0.50", FairnessIndicators.thresholdText(0.5, celeba));
    double[] whole = {1.0};
    assertEquals("1.0", FairnessIndicators.thresholdText(1.0, whole));
  }

  @Test
  public void defaultsAreNineThresholdsWithOneDigit() {
    FairnessIndicators fi =
        FairnessIndicators.fromArgs(MetricArgs.parse("FairnessIndicators", ""), false);
    assertEquals(9, fi.thresholds().length);
    assertEquals(
        "fairness_indicators_metrics/false_positive_rate@0.1",
        fi.key(FairnessIndicators.Rate.FALSE_POSITIVE_RATE, 0.1));
  }

  @Test
  public void tenRatesPerThresholdInOrder() {
    FairnessIndicators fi = new FairnessIndicators(null, List.of(0.5), true);
    AccumulatorSpec.Builder needs = AccumulatorSpec.builder();
    fi.declareNeeds(needs);
    SliceAccumulator acc = new SliceAccumulator(needs.build());
    // label, prediction, weight
    acc.add(1, 0.9, 2); // TP 2
    acc.add(1, 0.2, 1); // FN 1
    acc.add(0, 0.7, 1); // FP 1
    acc.add(0, 0.5, 3); // TN 3 (0.5 is not > 0.5)
    Map<String, Double> values = new LinkedHashMap<>();
    fi.compute(
        new SliceStatistics(acc),
        new MetricSink() {
          @Override
          public void metric(String name, boolean weighted, MetricValue value) {
            assertEquals(true, weighted);
            values.put(name, value.getDoubleValue().getValue());
          }

          @Override
          public void plot(String name, boolean weighted, PlotData value) {}
        });
    String p = "fairness_indicators_metrics/";
    assertEquals(
        List.of(
            p + "false_positive_rate@0.5",
            p + "false_negative_rate@0.5",
            p + "true_positive_rate@0.5",
            p + "true_negative_rate@0.5",
            p + "positive_rate@0.5",
            p + "negative_rate@0.5",
            p + "false_discovery_rate@0.5",
            p + "false_omission_rate@0.5",
            p + "precision@0.5",
            p + "recall@0.5"),
        List.copyOf(values.keySet()));
    assertEquals(1.0 / 4, values.get(p + "false_positive_rate@0.5"), 1e-15);
    assertEquals(1.0 / 3, values.get(p + "false_negative_rate@0.5"), 1e-15);
    assertEquals(2.0 / 3, values.get(p + "true_positive_rate@0.5"), 1e-15);
    assertEquals(3.0 / 4, values.get(p + "true_negative_rate@0.5"), 1e-15);
    assertEquals(3.0 / 7, values.get(p + "positive_rate@0.5"), 1e-15);
    assertEquals(4.0 / 7, values.get(p + "negative_rate@0.5"), 1e-15);
    assertEquals(1.0 / 3, values.get(p + "false_discovery_rate@0.5"), 1e-15);
    assertEquals(1.0 / 4, values.get(p + "false_omission_rate@0.5"), 1e-15);
    assertEquals(2.0 / 3, values.get(p + "precision@0.5"), 1e-15);
    assertEquals(2.0 / 3, values.get(p + "recall@0.5"), 1e-15);
  }
}
