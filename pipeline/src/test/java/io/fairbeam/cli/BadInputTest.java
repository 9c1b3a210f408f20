package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tf.BytesList;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tf.FloatList;
import io.fairbeam.proto.tf.Int64List;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Bad input through the command line: each case must fail with a message naming the file, the
 * record and the field, exit non-zero and leave no result directory; under {@code
 * --bad-records=skip} the records are counted by reason instead.
 */
public class BadInputTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'score' }",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['group'] }");

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private Path config;
  private Path output;

  @Before
  public void setUp() throws IOException {
    originalErr = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    config = temp.getRoot().toPath().resolve("config.pbtxt");
    Files.writeString(config, CONFIG);
    output = temp.getRoot().toPath().resolve("result");
  }

  @After
  public void tearDown() {
    System.setErr(originalErr);
  }

  private static Feature floats(float... values) {
    FloatList.Builder list = FloatList.newBuilder();
    for (float v : values) {
      list.addValue(v);
    }
    return Feature.newBuilder().setFloatList(list).build();
  }

  private static Feature ints(long... values) {
    Int64List.Builder list = Int64List.newBuilder();
    for (long v : values) {
      list.addValue(v);
    }
    return Feature.newBuilder().setInt64List(list).build();
  }

  private static Feature text(String value) {
    return Feature.newBuilder()
        .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFromUtf8(value)))
        .build();
  }

  private static Example example(Feature label, Feature score, String group) {
    Features.Builder features = Features.newBuilder().putFeature("group", text(group));
    if (label != null) {
      features.putFeature("label", label);
    }
    if (score != null) {
      features.putFeature("score", score);
    }
    return Example.newBuilder().setFeatures(features).build();
  }

  private static List<Example> goodExamples(int n) {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      examples.add(example(ints(i % 2), floats((i % 10) / 10f), i % 3 == 0 ? "a" : "b"));
    }
    return examples;
  }

  private Path write(String name, List<Example> examples) throws IOException {
    Path file = temp.getRoot().toPath().resolve(name);
    try (OutputStream out = Files.newOutputStream(file);
        TFRecordWriter writer = new TFRecordWriter(out)) {
      for (Example e : examples) {
        writer.write(e.toByteArray());
      }
    }
    return file;
  }

  private int evaluate(Path data, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                config.toString(),
                "--data",
                data.toString(),
                "--output",
                output.toString()));
    args.addAll(Arrays.asList(extra));
    return Fairbeam.run(args.toArray(new String[0]));
  }

  /** Runs {@link #evaluate} with what it prints on standard output going to {@code stdout}. */
  private int evaluatePrintingTo(ByteArrayOutputStream stdout, Path data, String... extra) {
    PrintStream originalOut = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    try {
      return evaluate(data, extra);
    } finally {
      System.setOut(originalOut);
    }
  }

  private void assertFailsWith(Path data, String... fragments) {
    int code = evaluate(data);
    String err = stderr.toString(StandardCharsets.UTF_8);
    assertEquals("exit code; stderr: " + err, 1, code);
    for (String fragment : fragments) {
      assertThat(err, containsString(fragment));
    }
    assertFalse("no result directory after a failure", Files.exists(output));
    assertNoTemporaryDirectories();
  }

  /**
   * The command line names its own flags where the library names its calls: a SavedModel for a
   * config of several models without a name, a name no model_specs has, a change threshold without
   * a baseline.
   */
  @Test
  public void flagsThatNamePartsOfTheConfigAreCheckedInTheirOwnTerms() throws IOException {
    Path data = write("data.tfrecord", goodExamples(10));
    Files.writeString(
        config,
        CONFIG.replace(
            "model_specs { label_key: 'label' prediction_key: 'score' }",
            "model_specs { name: 'a' label_key: 'label' prediction_key: 'score' }\n"
                + "model_specs { name: 'b' label_key: 'label' prediction_key: 'score'"
                + " is_baseline: true }"));
    assertEquals(2, evaluate(data, "--model", "/models/x"));
    assertThat(
        stderr.toString(StandardCharsets.UTF_8),
        containsString("--model /models/x: the config has several model_specs; give --model"));
    assertEquals(2, evaluate(data, "--model", "c=/models/x"));
    assertThat(
        stderr.toString(StandardCharsets.UTF_8),
        containsString("--model c=/models/x: no model_specs is named \"c\"; names: [a, b]"));
    Files.writeString(
        config,
        CONFIG.replace(
            "metrics { class_name: 'ExampleCount' }",
            "metrics { class_name: 'AUC'"
                + " threshold { change_threshold { direction: HIGHER_IS_BETTER"
                + " absolute { value: -0.1 } } } }"));
    assertEquals(2, evaluate(data));
    String err = stderr.toString(StandardCharsets.UTF_8);
    assertThat(err, containsString("evaluate without one (--no-baseline)"));
    assertThat(err, not(containsString("withoutBaseline")));
    assertFalse(Files.exists(output));
  }

  private void assertNoTemporaryDirectories() {
    try (var entries = Files.list(temp.getRoot().toPath())) {
      assertTrue(entries.noneMatch(p -> p.getFileName().toString().contains("fairbeam-tmp")));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void goodInputWritesTfmaLayout() throws IOException {
    Path data = write("good.tfrecord", goodExamples(30));
    assertEquals(0, evaluate(data));
    assertTrue(Files.exists(output.resolve("eval_config.json")));
    assertTrue(Files.exists(output.resolve("metrics-00000-of-00001.tfrecord")));
    assertTrue(Files.exists(output.resolve("plots-00000-of-00001.tfrecord")));
    assertTrue(Files.exists(output.resolve("validations.tfrecord")));
    assertEquals(3, EvalResultReader.metrics(output).size());
    assertTrue(EvalResultReader.validation(output).getMissingThresholds());
    assertFalse(EvalResultReader.validation(output).getValidationOk());
  }

  @Test
  public void corruptRecordDataNamesFileAndRecord() throws IOException {
    Path data = write("corrupt.tfrecord", goodExamples(5));
    byte[] bytes = Files.readAllBytes(data);
    int recordLength = goodExamples(5).get(0).getSerializedSize() + 16;
    bytes[2 * recordLength + 14] ^= 0x55; // a data byte of record 2
    Files.write(data, bytes);
    assertFailsWith(data, "corrupt.tfrecord", "record 2", "data checksum mismatch");
  }

  @Test
  public void corruptLengthNamesFileAndRecord() throws IOException {
    Path data = write("badlength.tfrecord", goodExamples(5));
    byte[] bytes = Files.readAllBytes(data);
    int recordLength = goodExamples(5).get(0).getSerializedSize() + 16;
    bytes[recordLength + 1] ^= 0x01; // the length of record 1
    Files.write(data, bytes);
    assertFailsWith(data, "badlength.tfrecord", "record 1", "length checksum mismatch");
  }

  @Test
  public void truncatedFileNamesFileAndRecord() throws IOException {
    Path data = write("truncated.tfrecord", goodExamples(5));
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(bytes, bytes.length - 7));
    assertFailsWith(data, "truncated.tfrecord", "record 4", "truncated");
  }

  @Test
  public void notATfRecordFile() throws IOException {
    Path data = temp.getRoot().toPath().resolve("notes.tfrecord");
    Files.writeString(data, "this is plain text, not TFRecord framing at all\n");
    assertFailsWith(data, "notes.tfrecord", "record 0", "length checksum mismatch");
  }

  @Test
  public void missingLabelNamesRecordAndField() throws IOException {
    List<Example> examples = goodExamples(6);
    examples.set(3, example(null, floats(0.3f), "a"));
    assertFailsWith(
        write("nolabel.tfrecord", examples), "nolabel.tfrecord", "record 3", "'label'", "missing");
  }

  @Test
  public void nonNumericPredictionNamesRecordAndField() throws IOException {
    List<Example> examples = goodExamples(6);
    examples.set(4, example(ints(1), text("high"), "a"));
    assertFailsWith(
        write("textscore.tfrecord", examples),
        "textscore.tfrecord",
        "record 4",
        "'score'",
        "not numeric");
  }

  @Test
  public void nanPredictionNamesRecordAndField() throws IOException {
    List<Example> examples = goodExamples(6);
    examples.set(1, example(ints(0), floats(Float.NaN), "b"));
    assertFailsWith(write("nan.tfrecord", examples), "nan.tfrecord", "record 1", "'score'", "NaN");
  }

  @Test
  public void labelOutsideUnitIntervalIsBad() throws IOException {
    List<Example> examples = goodExamples(6);
    examples.set(2, example(ints(3), floats(0.5f), "b"));
    assertFailsWith(write("label3.tfrecord", examples), "record 2", "'label'", "outside [0, 1]");
  }

  @Test
  public void emptyInputFails() throws IOException {
    Path data = temp.getRoot().toPath().resolve("empty.tfrecord");
    Files.write(data, new byte[0]);
    assertFailsWith(data, "empty");
  }

  @Test
  public void missingFileFails() {
    assertFailsWith(temp.getRoot().toPath().resolve("nothing-*.tfrecord"), "no file matches");
  }

  @Test
  public void failedRunLeavesPreviousResultUntouched() throws IOException {
    assertEquals(0, evaluate(write("good.tfrecord", goodExamples(12))));
    byte[] before = Files.readAllBytes(output.resolve("metrics-00000-of-00001.tfrecord"));
    List<Example> examples = goodExamples(6);
    examples.set(3, example(null, floats(0.3f), "a"));
    assertEquals(1, evaluate(write("bad.tfrecord", examples)));
    assertTrue(
        Arrays.equals(
            before, Files.readAllBytes(output.resolve("metrics-00000-of-00001.tfrecord"))));
    assertNoTemporaryDirectories();
  }

  @Test
  public void skipPolicyCountsEachReason() throws IOException {
    List<Example> examples = goodExamples(20);
    examples.set(1, example(null, floats(0.3f), "a"));
    examples.set(2, example(null, floats(0.3f), "b"));
    examples.set(5, example(ints(1), floats(Float.NaN), "a"));
    examples.set(7, example(ints(1), text("x"), "a"));
    Path data = write("mixed.tfrecord", examples);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code = evaluatePrintingTo(stdout, data, "--bad-records=skip");
    assertEquals(0, code);
    RunSummary summary = EvalResultReader.runSummary(output);
    assertEquals(20, summary.getRecordsRead());
    assertEquals(16, summary.getExamplesEvaluated());
    assertEquals(4, summary.getRecordsSkipped());
    assertEquals(2L, summary.getRecordsSkippedByReasonOrThrow("label 'label' missing"));
    assertEquals(1L, summary.getRecordsSkippedByReasonOrThrow("prediction 'score' NaN"));
    assertEquals(1L, summary.getRecordsSkippedByReasonOrThrow("prediction 'score' not numeric"));
    assertThat(
        stdout.toString(StandardCharsets.UTF_8),
        allOf(containsString("Records skipped"), containsString("label 'label' missing")));
    MetricsForSlice overall =
        EvalResultReader.metrics(output).stream()
            .filter(m -> m.getSliceKey().getSingleSliceKeysCount() == 0)
            .findFirst()
            .orElseThrow();
    double count =
        overall.getMetricKeysAndValuesList().stream()
            .filter(kv -> kv.getKey().getName().equals("example_count"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .getDoubleValue()
            .getValue();
    assertEquals(16.0, count, 0.0);
  }

  @Test
  public void slicingFeaturesAreCountedOverEvaluatedExamplesAndAMissingOneIsAWarning()
      throws IOException {
    Files.writeString(config, CONFIG + "\nslicing_specs { feature_keys: ['sexx'] }\n");
    // 'group' is in every example but each fifth; record 3 has it but is skipped (no label).
    List<Example> examples = new ArrayList<>();
    long expectedWithGroup = 0;
    for (int i = 0; i < 23; i++) {
      Example example = example(ints(i % 2), floats(0.1f * (i % 10)), "g" + (i % 2));
      if (i % 5 == 0) {
        example =
            example.toBuilder()
                .setFeatures(example.getFeatures().toBuilder().removeFeature("group"))
                .build();
      } else if (i != 3) {
        expectedWithGroup++;
      }
      examples.add(example);
    }
    examples.set(3, example(null, floats(0.5f), "g1"));
    Path data = write("groups.tfrecord", examples);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code = evaluatePrintingTo(stdout, data, "--bad-records=skip");
    assertEquals(stderr.toString(StandardCharsets.UTF_8), 0, code);
    RunSummary summary = EvalResultReader.runSummary(output);
    assertEquals(22, summary.getExamplesEvaluated());
    assertEquals(expectedWithGroup, summary.getSlicingFeatureExamplesOrThrow("group"));
    assertEquals(0L, summary.getSlicingFeatureExamplesOrThrow("sexx"));
    String warning = "slicing feature 'sexx' is in none of the 22 evaluated examples";
    assertEquals(1, summary.getWarningsCount());
    assertThat(summary.getWarnings(0), containsString(warning));
    assertThat(stdout.toString(StandardCharsets.UTF_8), containsString("Warning: " + warning));
    // The group slices hold exactly the examples that have the feature.
    double inGroups =
        EvalResultReader.metrics(output).stream()
            .filter(m -> m.getSliceKey().getSingleSliceKeysCount() == 1)
            .mapToDouble(
                m ->
                    m.getMetricKeysAndValuesList().stream()
                        .filter(kv -> kv.getKey().getName().equals("example_count"))
                        .findFirst()
                        .orElseThrow()
                        .getValue()
                        .getDoubleValue()
                        .getValue())
            .sum();
    assertEquals(expectedWithGroup, inGroups, 0.0);
  }

  @Test
  public void skipPolicyStillFailsWhenNothingIsLeft() throws IOException {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      examples.add(example(null, floats(0.5f), "a"));
    }
    Path data = write("allbad.tfrecord", examples);
    int code = evaluate(data, "--bad-records=skip");
    assertEquals(1, code);
    assertThat(stderr.toString(StandardCharsets.UTF_8), containsString("all 4 records"));
    assertFalse(Files.exists(output));
  }

  /** Fairbeam's own pipeline options out of range are usage errors naming the option. */
  @Test
  public void fairbeamOptionsOutOfRangeNameTheOption() throws IOException {
    Path data = write("good.tfrecord", goodExamples(5));
    for (String option : List.of("--minRangeBytes=0", "--readGroups=-1", "--sliceShards=-2")) {
      stderr.reset();
      int code = evaluate(data, option);
      assertEquals(option, 2, code);
      assertThat(
          stderr.toString(StandardCharsets.UTF_8),
          allOf(
              containsString("pipeline option " + option + ": must be at least 1"),
              not(containsString("internal error"))));
      assertFalse(Files.exists(output));
    }
  }

  @Test
  public void unknownConfigFieldNamesLineAndAcceptedFields() throws IOException {
    Files.writeString(config, CONFIG + "\nslicing_specs { feature_key: 'group' }\n");
    int code = evaluate(write("good.tfrecord", goodExamples(5)));
    String err = stderr.toString(StandardCharsets.UTF_8);
    assertEquals(2, code);
    assertThat(
        err,
        allOf(
            containsString("line 8"),
            containsString("feature_key"),
            containsString("feature_keys")));
    assertFalse(Files.exists(output));
  }

  @Test
  public void unknownMetricNamesLineAndAcceptedNames() throws IOException {
    Files.writeString(config, CONFIG.replace("'ExampleCount'", "'ExampleCounts'"));
    int code = evaluate(write("good.tfrecord", goodExamples(5)));
    String err = stderr.toString(StandardCharsets.UTF_8);
    assertEquals(2, code);
    assertThat(
        err,
        allOf(
            containsString("line 3"),
            containsString("ExampleCounts"),
            containsString("FairnessIndicators")));
  }

  @Test
  public void malformedMetricJsonNamesLine() throws IOException {
    Files.writeString(config, CONFIG.replace("[0.5]}", "[0.5}"));
    int code = evaluate(write("good.tfrecord", goodExamples(5)));
    String err = stderr.toString(StandardCharsets.UTF_8);
    assertEquals(2, code);
    assertThat(err, allOf(containsString("line 4"), containsString("malformed JSON")));
  }
}
