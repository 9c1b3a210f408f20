package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.TestExamples;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  private String writeTfRecordShards(List<WeightedRows.Row> rows) throws IOException {
    File dir = temp.newFolder("tfrecord");
    List<List<Example>> shards = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < rows.size(); i++) {
      WeightedRows.Row r = rows.get(i);
      shards
          .get(i % 3)
          .add(
              WeightedRows.exampleOf(r).toBuilder()
                  .mergeFeatures(example("unused", text("padding")).getFeatures())
                  .build());
    }
    for (int s = 0; s < 3; s++) {
      TestExamples.writeTfRecord(
          dir.toPath().resolve("part-" + s + (s == 0 ? ".gz" : "")), shards.get(s), s == 0);
    }
    return dir + "/part-*";
  }

  private Path writeCsv(List<WeightedRows.Row> rows) throws IOException {
    StringBuilder csv = new StringBuilder("label,score,w,group,n,unused\n");
    for (WeightedRows.Row r : rows) {
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

  private Path writeAvro(List<WeightedRows.Row> rows) throws IOException {
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
      for (WeightedRows.Row r : rows) {
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
    List<WeightedRows.Row> rows = WeightedRows.rows();
    EvalResult result =
        pipeline.apply(
            FairnessEval.readAndEvaluate(WeightedRows.config()).from(writeTfRecordShards(rows)));
    WeightedRows.assertMetricsEqual(result, WeightedRows.expected(rows));
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
    List<WeightedRows.Row> rows = WeightedRows.rows();
    Path csv = writeCsv(rows);
    EvalResult result =
        pipeline.apply(FairnessEval.readAndEvaluate(WeightedRows.config()).from(csv.toString()));
    WeightedRows.assertMetricsEqual(result, WeightedRows.expected(rows));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void avroGivesTheSameMetrics() throws Exception {
    List<WeightedRows.Row> rows = WeightedRows.rows();
    EvalResult result =
        pipeline.apply(
            FairnessEval.readAndEvaluate(WeightedRows.config())
                .withFormat(RecordFormat.AVRO)
                .from(writeAvro(rows).toString()));
    WeightedRows.assertMetricsEqual(result, WeightedRows.expected(rows));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void writesTfmaLayoutThatDecodes() throws Exception {
    List<WeightedRows.Row> rows = WeightedRows.rows();
    Path out = temp.newFolder("out").toPath();
    pipeline
        .apply(FairnessEval.readAndEvaluate(WeightedRows.config()).from(writeTfRecordShards(rows)))
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
    assertEquals(WeightedRows.config(), EvalResultReader.evalRun(out).getEvalConfig());
    assertEquals(FairnessEval.VERSION, EvalResultReader.evalRun(out).getVersion());
    assertEquals(600, EvalResultReader.runSummary(out).getExamplesEvaluated());
  }

  @Test
  public void skippedRecordsOfAFileGoToTheDeadLetterOutputWithTheirBytes() throws Exception {
    List<WeightedRows.Row> rows = WeightedRows.rows().subList(0, 50);
    List<Example> examples = new ArrayList<>();
    rows.forEach(r -> examples.add(WeightedRows.exampleOf(r)));
    Example outOfRange = example("label", ints(2), "score", floats(0.5f), "w", ints(1));
    examples.add(7, outOfRange);
    Path file = temp.newFolder("dead").toPath().resolve("part-0.tfrecord");
    TestExamples.writeTfRecord(file, examples, false);
    EvalResult result =
        pipeline.apply(
            FairnessEval.readAndEvaluate(WeightedRows.config())
                .from(file.toString())
                .withBadRecordPolicy(io.fairbeam.eval.BadRecordPolicy.SKIP)
                .withBadRecordOutput());
    WeightedRows.assertMetricsEqual(result, WeightedRows.expected(rows));
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
