package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;

/**
 * A test fixture: 600 weighted rows of a label, a score on a 0.05 grid (many exactly on the
 * thresholds), a group and a small count, with a config of counts, Fairness Indicators at 0.3 and
 * 0.5, the mean label and plots, and the values a direct count over the rows gives, per slice.
 */
final class WeightedRows {
  private WeightedRows() {}

  private static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'score' example_weight_key: 'w' }",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'WeightedExampleCount' }",
          "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.3, 0.5]}' }",
          "  metrics { class_name: 'MeanLabel' }",
          "  metrics { class_name: 'ConfusionMatrixPlot' }",
          "  metrics { class_name: 'CalibrationPlot' }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['group'] }",
          "slicing_specs { feature_values: { key: 'n' value: '2' } }");

  /** One row of test data. */
  record Row(int label, float score, int weight, String group, long n) {}

  static List<Row> rows() {
    Random random = new Random(9);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int label = random.nextInt(2);
      float score = Math.round(random.nextFloat() * 20) / 20f; // many on the thresholds
      rows.add(
          new Row(label, score, 1 + random.nextInt(3), "g" + random.nextInt(3), random.nextInt(4)));
    }
    return rows;
  }

  static EvalConfig config() {
    return EvalConfigLoader.parse(CONFIG, "c").config();
  }

  /** The expected values by a direct count over the rows, per slice name and metric key. */
  static Map<String, Map<String, Double>> expected(List<Row> rows) {
    Map<String, List<Row>> slices = new TreeMap<>();
    for (Row row : rows) {
      slices.computeIfAbsent("Overall", k -> new ArrayList<>()).add(row);
      slices.computeIfAbsent("group:" + row.group(), k -> new ArrayList<>()).add(row);
      if (row.n() == 2) {
        slices.computeIfAbsent("n:2", k -> new ArrayList<>()).add(row);
      }
    }
    Map<String, Map<String, Double>> result = new TreeMap<>();
    for (Map.Entry<String, List<Row>> slice : slices.entrySet()) {
      Map<String, Double> metrics = new HashMap<>();
      double weight = 0;
      double weightedLabel = 0;
      for (Row row : slice.getValue()) {
        weight += row.weight();
        weightedLabel += row.weight() * row.label();
      }
      // With a weight key, TFMA's ExampleCount is weighted too.
      metrics.put("example_count", weight);
      metrics.put("weighted_example_count", weight);
      metrics.put("mean_label", weightedLabel / weight);
      for (double t : new double[] {0.3, 0.5}) {
        double tp = 0;
        double fp = 0;
        double tn = 0;
        double fn = 0;
        for (Row row : slice.getValue()) {
          boolean positive = (double) row.score() > t;
          if (row.label() == 1) {
            if (positive) {
              tp += row.weight();
            } else {
              fn += row.weight();
            }
          } else if (positive) {
            fp += row.weight();
          } else {
            tn += row.weight();
          }
        }
        String at = String.format(Locale.ROOT, "@%.1f", t);
        String p = "fairness_indicators_metrics/";
        metrics.put(p + "false_positive_rate" + at, fp / (fp + tn));
        metrics.put(p + "true_positive_rate" + at, tp / (tp + fn));
        metrics.put(p + "positive_rate" + at, (tp + fp) / (tp + fp + tn + fn));
        metrics.put(p + "precision" + at, tp / (tp + fp));
        metrics.put(p + "false_omission_rate" + at, fn / (fn + tn));
      }
      result.put(slice.getKey(), metrics);
    }
    return result;
  }

  /** A row as a tf.Example, as the tests give it in every format. */
  static Example exampleOf(Row r) {
    return example(
        "label",
        ints(r.label()),
        "score",
        floats(r.score()),
        "w",
        ints(r.weight()),
        "group",
        text(r.group()),
        "n",
        ints(r.n()));
  }

  /** The rows as serialized tf.Examples. */
  static List<byte[]> records(List<Row> rows) {
    List<byte[]> records = new ArrayList<>();
    rows.forEach(r -> records.add(exampleOf(r).toByteArray()));
    return records;
  }

  /** Checks {@code results} against the direct count {@code want} ({@link #expected}). */
  static void check(Iterable<MetricsForSlice> results, Map<String, Map<String, Double>> want) {
    Map<String, Map<String, Double>> got = new TreeMap<>();
    for (MetricsForSlice metrics : results) {
      Map<String, Double> values = new HashMap<>();
      metrics
          .getMetricKeysAndValuesList()
          .forEach(
              kv -> values.put(kv.getKey().getName(), kv.getValue().getDoubleValue().getValue()));
      got.put(SliceKey.fromProto(metrics.getSliceKey()).toString(), values);
    }
    assertEquals(want.keySet(), got.keySet());
    for (String slice : want.keySet()) {
      for (Map.Entry<String, Double> metric : want.get(slice).entrySet()) {
        Double value = got.get(slice).get(metric.getKey());
        assertTrue(slice + " lacks " + metric.getKey(), value != null);
        assertEquals(slice + " " + metric.getKey(), metric.getValue(), value, 1e-12);
      }
    }
  }

  static void assertMetricsEqual(EvalResult result, Map<String, Map<String, Double>> want) {
    PAssert.that(result.metrics())
        .satisfies(
            metrics -> {
              check(metrics, want);
              return null;
            });
  }
}
