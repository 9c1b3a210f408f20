package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.TestExamples;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.slice.SliceKey;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The Beam transforms on the Direct Runner: per-slice metrics equal a direct count over the same
 * rows, whatever the input format (TFRecord shards plain and GZIP, CSV, Avro), and the written
 * files decode as TFMA's protos.
 */
public class ReadAndEvaluateTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder temp = new TemporaryFolder();

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

  private String writeTfRecordShards(List<Row> rows) throws IOException {
    File dir = temp.newFolder("tfrecord");
    List<List<Example>> shards = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      shards
          .get(i % 3)
          .add(
              exampleOf(r).toBuilder()
                  .mergeFeatures(example("unused", text("padding")).getFeatures())
                  .build());
    }
    for (int s = 0; s < 3; s++) {
      TestExamples.writeTfRecord(
          dir.toPath().resolve("part-" + s + (s == 0 ? ".gz" : "")), shards.get(s), s == 0);
    }
    return dir + "/part-*";
  }

  private Path writeCsv(List<Row> rows) throws IOException {
    StringBuilder csv = new StringBuilder("label,score,w,group,n,unused\n");
    for (Row r : rows) {
      csv.append(r.label())
          .append(',')
          .append(r.score())
          .append(',')
          .append(r.weight())
          .append(',')
          .append(r.group())
          .append(',')
          .append(r.n())
          .append(",\"a, b\"\n");
    }
    Path file = temp.newFile("data.csv").toPath();
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return file;
  }

  private Path writeAvro(List<Row> rows) throws IOException {
    Schema schema =
        SchemaBuilder.record("Row")
            .fields()
            .requiredLong("label")
            .optionalDouble("score")
            .requiredInt("w")
            .requiredString("group")
            .name("n")
            .type()
            .array()
            .items()
            .longType()
            .noDefault()
            .endRecord();
    Path file = temp.newFile("data.avro").toPath();
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.create(schema, file.toFile());
      for (Row r : rows) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("label", (long) r.label());
        record.put("score", (double) r.score());
        record.put("w", r.weight());
        record.put("group", r.group());
        record.put("n", List.of(r.n()));
        writer.append(record);
      }
    }
    return file;
  }

  @Test
  public void tfRecordShardsGiveDirectlyCountedMetrics() throws Exception {
    List<Row> rows = rows();
    EvalResult result =
        pipeline.apply(FairnessEval.readAndEvaluate(config()).from(writeTfRecordShards(rows)));
    assertMetricsEqual(result, expected(rows));
    PAssert.thatSingleton(result.summary())
        .satisfies(
            summary -> {
              assertEquals(600, summary.getRecordsRead());
              assertEquals(600, summary.getExamplesEvaluated());
              assertEquals("tfrecords", summary.getFileFormat());
              return null;
            });
    PAssert.that(result.plots())
        .satisfies(
            plots -> {
              int n = 0;
              for (PlotsForSlice p : plots) {
                // As TFMA writes them: both default plots in one PlotData under a nameless key.
                assertEquals(1, p.getPlotKeysAndValuesCount());
                assertEquals("", p.getPlotKeysAndValues(0).getKey().getName());
                assertEquals(
                    1002,
                    p.getPlotKeysAndValues(0)
                        .getValue()
                        .getConfusionMatrixAtThresholds()
                        .getMatricesCount());
                assertEquals(
                    1002,
                    p.getPlotKeysAndValues(0)
                        .getValue()
                        .getCalibrationHistogramBuckets()
                        .getBucketsCount());
                n++;
              }
              assertEquals(5, n);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void csvGivesTheSameMetrics() throws Exception {
    List<Row> rows = rows();
    Path csv = writeCsv(rows);
    EvalResult result = pipeline.apply(FairnessEval.readAndEvaluate(config()).from(csv.toString()));
    assertMetricsEqual(result, expected(rows));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void avroGivesTheSameMetrics() throws Exception {
    List<Row> rows = rows();
    EvalResult result =
        pipeline.apply(
            FairnessEval.readAndEvaluate(config())
                .withFormat(RecordFormat.AVRO)
                .from(writeAvro(rows).toString()));
    assertMetricsEqual(result, expected(rows));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void writesTfmaLayoutThatDecodes() throws Exception {
    List<Row> rows = rows();
    Path out = temp.newFolder("out").toPath();
    pipeline
        .apply(FairnessEval.readAndEvaluate(config()).from(writeTfRecordShards(rows)))
        .apply(FairnessEval.write().to(out.toString()));
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of(
            "eval_config.json",
            "fairbeam_decisions-00000-of-00001.tfrecord",
            "fairbeam_disparities.json",
            "fairbeam_run.json",
            "metrics-00000-of-00001.tfrecord",
            "plots-00000-of-00001.tfrecord",
            "report.html",
            "validations.tfrecord"),
        Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());
    List<MetricsForSlice> metrics = EvalResultReader.metrics(out);
    assertEquals(5, metrics.size());
    for (MetricsForSlice m : metrics) {
      assertTrue(
          m.getMetricKeysAndValuesList().stream()
              .anyMatch(
                  kv ->
                      kv.getKey().getName().equals("fairness_indicators_metrics/recall@0.5")
                          && kv.getKey().getExampleWeighted().getValue()));
      assertTrue(
          m.getMetricKeysAndValuesList().stream()
              .anyMatch(
                  kv ->
                      kv.getKey().getName().equals("example_count")
                          && kv.hasKey()
                          && kv.getKey().hasExampleWeighted()
                          && kv.getKey().getExampleWeighted().getValue()));
    }
    assertEquals(5, EvalResultReader.plots(out).size());
    assertTrue(EvalResultReader.validation(out).getMissingThresholds());
    assertEquals(config(), EvalResultReader.evalRun(out).getEvalConfig());
    assertEquals(FairnessEval.VERSION, EvalResultReader.evalRun(out).getVersion());
    assertEquals(600, EvalResultReader.runSummary(out).getExamplesEvaluated());
  }

  @Test
  public void skippedRecordsOfAFileGoToTheDeadLetterOutputWithTheirBytes() throws Exception {
    List<Row> rows = rows().subList(0, 50);
    List<Example> examples = new ArrayList<>();
    rows.forEach(r -> examples.add(exampleOf(r)));
    Example outOfRange = example("label", ints(2), "score", floats(0.5f), "w", ints(1));
    examples.add(7, outOfRange);
    Path file = temp.newFolder("dead").toPath().resolve("part-0.tfrecord");
    TestExamples.writeTfRecord(file, examples, false);
    EvalResult result =
        pipeline.apply(
            FairnessEval.readAndEvaluate(config())
                .from(file.toString())
                .withBadRecordPolicy(io.fairbeam.eval.BadRecordPolicy.SKIP)
                .withBadRecordOutput());
    assertMetricsEqual(result, expected(rows));
    String source = file.toString();
    PAssert.thatSingleton(result.badRecords())
        .satisfies(
            bad -> {
              assertEquals(source, bad.getSource());
              assertEquals(7, bad.getRecordIndex());
              assertEquals("label 'label' outside [0, 1]", bad.getReason());
              assertEquals(outOfRange.toByteString(), bad.getRecord());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
