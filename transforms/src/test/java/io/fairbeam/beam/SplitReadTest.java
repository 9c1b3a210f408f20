package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * One TFRecord, CSV or Avro file read in many ranges by several readers gives the result of reading
 * it whole: the same metrics, plots and intervals (records are assigned to jackknife samples by
 * their byte offset, or their block's and their index in it, which a range knows), the same counts
 * of records read and skipped, and the run record says the file was read in ranges.
 */
public class SplitReadTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'score' }",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'AUC' }",
          "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.3, 0.6]}' }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['store'] }",
          "options { compute_confidence_intervals { value: true } }");

  /** 4,000 examples in 12 stores; every 97th record is not a tf.Example. */
  private Path writeFile() throws Exception {
    Random random = new Random(2024);
    Path file = temp.getRoot().toPath().resolve("all.tfrecord");
    try (OutputStream out = Files.newOutputStream(file);
        TFRecordWriter writer = new TFRecordWriter(out)) {
      for (int i = 0; i < 4000; i++) {
        if (i % 97 == 50) {
          writer.write(new byte[] {10, 99, 1});
          continue;
        }
        int label = random.nextInt(3) == 0 ? 1 : 0;
        float score =
            (float) Math.min(1, Math.max(0, 0.3 + 0.3 * label + random.nextGaussian() / 5));
        writer.write(
            example(
                    "label",
                    ints(label),
                    "score",
                    floats(score),
                    "store",
                    ints(random.nextInt(12)),
                    "sex",
                    text(random.nextBoolean() ? "F" : "M"))
                .toByteArray());
      }
    }
    return file;
  }

  /**
   * The same kind of rows as CSV: 3,000 rows, a text column quoted with commas and line breaks in
   * it, CRLF line ends, and every 89th row one cell short.
   */
  private Path writeCsv() throws Exception {
    Random random = new Random(2025);
    Path file = temp.getRoot().toPath().resolve("all.csv");
    StringBuilder csv = new StringBuilder("label,score,store,sex,note\r\n");
    for (int i = 0; i < 3000; i++) {
      int label = random.nextInt(3) == 0 ? 1 : 0;
      double score = Math.min(1, Math.max(0, 0.3 + 0.3 * label + random.nextGaussian() / 5));
      csv.append(label).append(',').append((float) score).append(',').append(random.nextInt(12));
      csv.append(',').append(random.nextBoolean() ? "F" : "M");
      if (i % 89 != 40) {
        csv.append(',').append(i % 5 == 0 ? "\"a \"\"quoted\"\",\nnote\"" : "plain");
      }
      csv.append("\r\n");
    }
    Files.writeString(file, csv);
    return file;
  }

  /**
   * The same kind of records as Avro, deflated in blocks of about 2 KB: 3,500 records, every 101st
   * with a map for its store, which no feature type takes.
   */
  private Path writeAvro() throws Exception {
    Schema map = Schema.createMap(Schema.create(Schema.Type.INT));
    Schema store = Schema.createUnion(Schema.create(Schema.Type.INT), map);
    Schema schema =
        SchemaBuilder.record("Row")
            .fields()
            .requiredInt("label")
            .requiredFloat("score")
            .name("store")
            .type(store)
            .noDefault()
            .requiredString("sex")
            .endRecord();
    Random random = new Random(2026);
    Path file = temp.getRoot().toPath().resolve("all.avro");
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.setCodec(CodecFactory.deflateCodec(6));
      writer.setSyncInterval(2048);
      writer.create(schema, file.toFile());
      for (int i = 0; i < 3500; i++) {
        int label = random.nextInt(3) == 0 ? 1 : 0;
        GenericRecord record = new GenericData.Record(schema);
        record.put("label", label);
        record.put(
            "score",
            (float) Math.min(1, Math.max(0, 0.3 + 0.3 * label + random.nextGaussian() / 5)));
        record.put("store", i % 101 == 7 ? Map.of("x", 1) : random.nextInt(12));
        record.put("sex", random.nextBoolean() ? "F" : "M");
        writer.append(record);
      }
    }
    return file;
  }

  private Path evaluate(Path input, boolean split, String name) throws Exception {
    FairbeamOptions options = PipelineOptionsFactory.as(FairbeamOptions.class);
    options.setRunner(DirectRunner.class);
    options.setSplitFiles(split);
    options.setMinRangeBytes(1);
    Pipeline pipeline = Pipeline.create(options);
    Path output = temp.getRoot().toPath().resolve(name);
    pipeline
        .apply(
            FairnessEval.readAndEvaluate(EvalConfigLoader.parse(CONFIG, "c.pbtxt").config())
                .from(input.toString())
                .withBadRecordPolicy(BadRecordPolicy.SKIP)
                .withReadGroups(7))
        .apply(FairnessEval.write().to(output.toString()));
    pipeline.run().waitUntilFinish();
    return output;
  }

  private static List<ByteString> sorted(List<? extends Message> records) {
    TreeMap<String, ByteString> byText = new TreeMap<>();
    for (Message record : records) {
      byText.put(record.toString(), record.toByteString());
    }
    return new ArrayList<>(byText.values());
  }

  /** Evaluates {@code input} whole and in ranges; requires the counts given and the same result. */
  private void assertRangesGiveTheWholeResult(Path input, long records, long skipped)
      throws Exception {
    String name = input.getFileName().toString();
    Path whole = evaluate(input, false, name + "-whole");
    Path ranges = evaluate(input, true, name + "-ranges");
    RunSummary wholeRun = EvalResultReader.runSummary(whole);
    RunSummary rangesRun = EvalResultReader.runSummary(ranges);
    assertEquals(records, wholeRun.getRecordsRead());
    assertEquals(skipped, wholeRun.getRecordsSkipped());
    assertEquals(0, wholeRun.getFilesReadInRanges());
    assertEquals(1, rangesRun.getFilesReadInRanges());
    assertEquals(
        wholeRun.toBuilder().clearFilesReadInRanges().build(),
        rangesRun.toBuilder().clearFilesReadInRanges().build());
    assertEquals(13, EvalResultReader.metrics(whole).size());
    assertEquals(sorted(EvalResultReader.metrics(whole)), sorted(EvalResultReader.metrics(ranges)));
    assertEquals(sorted(EvalResultReader.plots(whole)), sorted(EvalResultReader.plots(ranges)));
    assertEquals(EvalResultReader.disparities(whole), EvalResultReader.disparities(ranges));
  }

  /** A GZIP file is read whole, says so in the run record, and gives the plain file's values. */
  @Test
  public void aGzipFileIsReadWholeAndCounted() throws Exception {
    Path plain = writeFile();
    Path gzip = temp.getRoot().toPath().resolve("all.tfrecord.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      Files.copy(plain, out);
    }
    Path whole = evaluate(plain, false, "plain-whole");
    Path compressed = evaluate(gzip, true, "gzip-split-on");
    RunSummary run = EvalResultReader.runSummary(compressed);
    assertEquals(1, run.getCompressedFilesReadWhole());
    assertEquals(0, run.getFilesReadInRanges());
    assertEquals(0, EvalResultReader.runSummary(whole).getCompressedFilesReadWhole());
    assertEquals(4000, run.getRecordsRead());
    // The point values; the intervals differ, since records are sampled by file name too.
    assertEquals(
        sorted(withoutIntervals(EvalResultReader.metrics(whole))),
        sorted(withoutIntervals(EvalResultReader.metrics(compressed))));
  }

  private static List<MetricsForSlice> withoutIntervals(List<MetricsForSlice> all) {
    List<MetricsForSlice> stripped = new ArrayList<>();
    for (MetricsForSlice metrics : all) {
      MetricsForSlice.Builder builder = metrics.toBuilder();
      builder.getMetricKeysAndValuesBuilderList().forEach(kv -> kv.clearConfidenceInterval());
      stripped.add(builder.build());
    }
    return stripped;
  }

  @Test
  public void aCsvFileReadInRangesGivesTheResultOfTheWholeFile() throws Exception {
    assertRangesGiveTheWholeResult(writeCsv(), 3000, 34);
  }

  @Test
  public void anAvroFileReadInRangesGivesTheResultOfTheWholeFile() throws Exception {
    assertRangesGiveTheWholeResult(writeAvro(), 3500, 35);
  }

  @Test
  public void aFileReadInRangesGivesTheResultOfTheWholeFile() throws Exception {
    assertRangesGiveTheWholeResult(writeFile(), 4000, 41);
  }
}
