package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the Titanic and Adult evaluations through the command line, from CSV and from the TFRecord
 * that {@code convert} makes of it, and checks every Fairness Indicator of every slice against
 * values computed independently with numpy and scikit-learn ({@code
 * scripts/verify/expected_fairness.py}, output checked in under {@code expected/}).
 */
public class SharedDataFairnessTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static final double RATE_TOLERANCE = 1e-9;

  @Test
  public void titanicFromTfRecordMatchesIndependentComputation() throws Exception {
    Path csv = SharedData.file("titanic.csv");
    Path tfrecord = temp.getRoot().toPath().resolve("titanic.tfrecord.gz");
    assertEquals(
        0, Fairbeam.run("convert", "--data", csv.toString(), "--output", tfrecord.toString()));
    Path out = evaluate("titanic.pbtxt", tfrecord);
    compare(out, "titanic", 891);
  }

  @Test
  public void titanicFromCsvMatchesIndependentComputation() throws Exception {
    Path out = evaluate("titanic.pbtxt", SharedData.file("titanic.csv"));
    compare(out, "titanic", 891);
  }

  @Test
  public void adultWeightedFromTfRecordMatchesIndependentComputation() throws Exception {
    Path csv = SharedData.file("adult.csv");
    Path tfrecord = temp.getRoot().toPath().resolve("adult.tfrecord");
    assertEquals(
        0, Fairbeam.run("convert", "--data", csv.toString(), "--output", tfrecord.toString()));
    Path out = evaluate("adult.pbtxt", tfrecord);
    compare(out, "adult", 32561);
  }

  @Test
  public void adultWeightedFromCsvMatchesIndependentComputation() throws Exception {
    Path out = evaluate("adult.pbtxt", SharedData.file("adult.csv"));
    compare(out, "adult", 32561);
  }

  private Path evaluate(String config, Path data) {
    Path out = temp.getRoot().toPath().resolve("out-" + data.getFileName());
    int code =
        Fairbeam.run(
            "evaluate",
            "--config",
            SharedData.projectRoot().resolve("configs").resolve(config).toString(),
            "--data",
            data.toString(),
            "--output",
            out.toString());
    assertEquals("evaluate exit code", 0, code);
    return out;
  }

  private void compare(Path out, String expectedName, long totalExamples) throws IOException {
    Struct expected = loadExpected(expectedName);
    Map<String, MetricsForSlice> actual = new HashMap<>();
    for (MetricsForSlice metrics : EvalResultReader.metrics(out)) {
      actual.put(SliceKey.fromProto(metrics.getSliceKey()).toString(), metrics);
    }
    int checked = 0;
    for (Value sliceValue : expected.getFieldsOrThrow("slices").getListValue().getValuesList()) {
      Struct slice = sliceValue.getStructValue();
      String name = slice.getFieldsOrThrow("slice").getStringValue();
      MetricsForSlice metrics = actual.get(name);
      assertTrue("slice " + name + " missing; have " + actual.keySet(), metrics != null);
      Map<String, Double> values = new HashMap<>();
      metrics
          .getMetricKeysAndValuesList()
          .forEach(
              kv -> {
                if (kv.getValue().hasDoubleValue()) {
                  values.put(kv.getKey().getName(), kv.getValue().getDoubleValue().getValue());
                }
              });
      // TFMA's ExampleCount is weighted when the metrics are (Adult, by fnlwgt).
      assertEquals(
          name + " example_count",
          slice.getFieldsOrThrow("weighted_example_count").getNumberValue(),
          values.get("example_count"),
          0.0);
      for (Map.Entry<String, Value> e :
          slice.getFieldsOrThrow("metrics").getStructValue().getFieldsMap().entrySet()) {
        double want = number(e.getValue());
        Double got = values.get(e.getKey());
        assertTrue(name + " lacks " + e.getKey(), got != null);
        if (Double.isNaN(want)) {
          assertTrue(name + " " + e.getKey() + " should be NaN, is " + got, Double.isNaN(got));
        } else {
          assertEquals(name + " " + e.getKey(), want, got, RATE_TOLERANCE);
        }
        checked++;
      }
      double exactAuc = number(slice.getFieldsOrThrow("auc_exact"));
      if (!Double.isNaN(exactAuc)) {
        double tolerance = slice.getFieldsOrThrow("auc_tolerance").getNumberValue() + 1e-6;
        assertEquals(
            name + " auc (exact " + exactAuc + ", bucket tolerance " + tolerance + ")",
            exactAuc,
            values.get("auc"),
            tolerance);
      }
    }
    assertEquals(
        "slices",
        expected.getFieldsOrThrow("slices").getListValue().getValuesCount(),
        actual.size());
    assertTrue("checked " + checked + " values", checked > 0);
    assertEquals(totalExamples, EvalResultReader.runSummary(out).getExamplesEvaluated());
  }

  private static double number(Value value) {
    return value.hasStringValue()
        ? Double.parseDouble(value.getStringValue())
        : value.getNumberValue();
  }

  private static Struct loadExpected(String name) throws IOException {
    try (InputStream in =
        SharedDataFairnessTest.class.getResourceAsStream(
            "/io/fairbeam/expected/" + name + ".json")) {
      Struct.Builder struct = Struct.newBuilder();
      JsonFormat.parser().merge(new String(in.readAllBytes(), StandardCharsets.UTF_8), struct);
      return struct.build();
    }
  }
}
