package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.tf.Example;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link EvaluateRecords} on a PCollection the pipeline built itself: the same metrics as a direct
 * count over the rows (and as the file path, {@link ReadAndEvaluateTest}), from serialized records
 * or parsed Examples; bad records failed, or skipped, counted and sent to the dead-letter output; a
 * bad config refused when the transform is applied.
 */
public class EvaluateRecordsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void serializedRecordsGiveDirectlyCountedMetrics() {
    List<WeightedRows.Row> rows = WeightedRows.rows();
    EvalResult result =
        pipeline
            .apply(Create.of(WeightedRows.records(rows)).withCoder(ByteArrayCoder.of()))
            .apply(FairnessEval.evaluate(WeightedRows.config()));
    WeightedRows.assertMetricsEqual(result, WeightedRows.expected(rows));
    PAssert.thatSingleton(result.summary())
        .satisfies(
            summary -> {
              assertEquals(600, summary.getExamplesEvaluated());
              assertEquals("<PCollection>", summary.getDataLocation());
              return null;
            });
    PAssert.that(result.badRecords()).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void parsedExamplesGiveTheSameMetrics() {
    List<WeightedRows.Row> rows = WeightedRows.rows();
    List<Example> examples = new ArrayList<>();
    rows.forEach(r -> examples.add(WeightedRows.exampleOf(r)));
    PCollection<Example> input =
        pipeline.apply(Create.of(examples).withCoder(ProtoCoder.of(Example.class)));
    EvalResult result = input.apply(FairnessEval.evaluate(WeightedRows.config()).onExamples());
    WeightedRows.assertMetricsEqual(result, WeightedRows.expected(rows));
    pipeline.run().waitUntilFinish();
  }

  /** Three bad records among good ones: which reason each is counted under. */
  private List<byte[]> withBadRecords(List<WeightedRows.Row> rows) {
    List<byte[]> records = WeightedRows.records(rows);
    records.add(example("score", floats(0.5f), "w", ints(1)).toByteArray()); // no label
    records.add(new byte[] {10, 99, 1}); // not a tf.Example
    records.add(example("label", ints(2), "score", floats(0.5f), "w", ints(1)).toByteArray());
    return records;
  }

  @Test
  public void skippedRecordsAreCountedAndSentToTheDeadLetterOutput() {
    List<WeightedRows.Row> rows = WeightedRows.rows();
    List<byte[]> records = withBadRecords(rows);
    EvalResult result =
        pipeline
            .apply(Create.of(records).withCoder(ByteArrayCoder.of()))
            .apply(
                FairnessEval.evaluate(WeightedRows.config())
                    .withBadRecordPolicy(BadRecordPolicy.SKIP)
                    .withBadRecordOutput());
    // The good rows alone give the metrics.
    WeightedRows.assertMetricsEqual(result, WeightedRows.expected(rows));
    PAssert.thatSingleton(result.summary())
        .satisfies(
            summary -> {
              assertEquals(603, summary.getRecordsRead());
              assertEquals(600, summary.getExamplesEvaluated());
              assertEquals(3, summary.getRecordsSkipped());
              assertEquals("skip", summary.getBadRecordsPolicy());
              return null;
            });
    byte[] undecodable = records.get(601);
    PAssert.that(result.badRecords())
        .satisfies(
            bad -> {
              Map<String, BadRecord> byReason = new TreeMap<>();
              bad.forEach(r -> byReason.put(r.getReason(), r));
              assertEquals(
                  List.of(
                      "label 'label' missing",
                      "label 'label' outside [0, 1]",
                      "undecodable record"),
                  List.copyOf(byReason.keySet()));
              for (BadRecord r : bad) {
                assertEquals("<PCollection>", r.getSource());
                assertThat(r.getDetail(), containsString("<PCollection>: record "));
              }
              assertThat(
                  byReason.get("label 'label' missing").getDetail(),
                  containsString("field 'label' (label_key) is missing"));
              assertTrue(
                  java.util.Arrays.equals(
                      undecodable, byReason.get("undecodable record").getRecord().toByteArray()));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aBadRecordFailsThePipelineByDefault() {
    List<byte[]> records = withBadRecords(WeightedRows.rows().subList(0, 10));
    pipeline
        .apply(Create.of(records).withCoder(ByteArrayCoder.of()))
        .apply(FairnessEval.evaluate(WeightedRows.config()));
    PipelineExecutionException e =
        assertThrows(PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("<PCollection>: record "));
  }

  /**
   * An evaluation is one result over a bounded set of records in the global window: windowed or
   * unbounded input is refused when the transform is applied, instead of its windows being merged.
   */
  @Test
  public void windowedOrUnboundedInputIsRefusedWhenTheTransformIsApplied() {
    PCollection<byte[]> windowed =
        pipeline
            .apply(
                "Records",
                Create.of(WeightedRows.records(WeightedRows.rows().subList(0, 4)))
                    .withCoder(ByteArrayCoder.of()))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> windowed.apply(FairnessEval.evaluate(WeightedRows.config())));
    assertThat(e.getMessage(), containsString("is windowed by FixedWindows"));
    assertThat(e.getMessage(), containsString("Window.into(new GlobalWindows())"));
    PCollection<byte[]> unbounded =
        pipeline
            .apply(GenerateSequence.from(0))
            .apply(
                MapElements.into(TypeDescriptor.of(byte[].class))
                    .via((Long i) -> new byte[] {i.byteValue()}))
            .setCoder(ByteArrayCoder.of());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> unbounded.apply(FairnessEval.evaluate(WeightedRows.config())));
    assertThat(e.getMessage(), containsString("is unbounded"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  /** A dead-letter output under the fail policy would stay empty: it is refused when applied. */
  @Test
  public void aBadRecordOutputWithoutTheSkipPolicyIsRefused() {
    PCollection<byte[]> input = pipeline.apply(Create.empty(ByteArrayCoder.of()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> input.apply(FairnessEval.evaluate(WeightedRows.config()).withBadRecordOutput()));
    assertThat(e.getMessage(), containsString("add withBadRecordPolicy(BadRecordPolicy.SKIP)"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  /** A runner's UI shows each transform's settings: config, models, input, output, policy. */
  @Test
  public void transformsDescribeTheirSettingsAsDisplayData() {
    EvalConfigLoader.Loaded config =
        EvalConfigLoader.parse(
            "model_specs { name: 'candidate' label_key: 'label' }\n"
                + "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'b' }\n"
                + "metrics_specs { metrics { class_name: 'AUC' }"
                + " metrics { class_name: 'Recall' } }\n"
                + "slicing_specs {} slicing_specs { feature_keys: ['sex'] }\n",
            "fair.pbtxt");
    Map<String, Object> evaluate =
        items(
            FairnessEval.evaluate(config)
                .withModel("candidate", "/models/c")
                .withBadRecordPolicy(BadRecordPolicy.SKIP));
    assertEquals("fair.pbtxt", evaluate.get("config"));
    assertEquals("candidate, baseline", evaluate.get("models"));
    assertEquals(2L, evaluate.get("metrics"));
    assertEquals(2L, evaluate.get("slicingSpecs"));
    assertEquals("SKIP", evaluate.get("badRecordPolicy"));
    assertEquals("/models/c", evaluate.get("model.candidate"));
    Map<String, Object> read =
        items(FairnessEval.readAndEvaluate(config).from("data/*.csv").withReadGroups(8));
    assertEquals("data/*.csv", read.get("filePattern"));
    assertEquals(8L, read.get("readGroups"));
    assertEquals("FAIL", read.get("badRecordPolicy"));
    assertEquals("out/eval", items(FairnessEval.write().to("out/eval")).get("directory"));
  }

  /** A transform's display items by key. */
  private static Map<String, Object> items(HasDisplayData transform) {
    Map<String, Object> items = new TreeMap<>();
    DisplayData.from(transform).items().forEach(item -> items.put(item.getKey(), item.getValue()));
    return items;
  }

  @Test
  public void aBadConfigIsRefusedWhenTheTransformIsApplied() {
    EvalConfigLoader.Loaded config =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'label' prediction_key: 'score' }\n"
                + "metrics_specs { metrics { class_name: 'NoSuchMetric' } }\n",
            "bad.pbtxt");
    PCollection<byte[]> input = pipeline.apply(Create.empty(ByteArrayCoder.of()));
    ConfigException e =
        assertThrows(ConfigException.class, () -> input.apply(FairnessEval.evaluate(config)));
    assertThat(e.getMessage(), containsString("bad.pbtxt line 2"));
    assertThat(e.getMessage(), containsString("NoSuchMetric"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void writesTheResultOfAPCollection() throws Exception {
    List<WeightedRows.Row> rows = WeightedRows.rows();
    Path out = temp.getRoot().toPath().resolve("eval");
    pipeline
        .apply(Create.of(WeightedRows.records(rows)).withCoder(ByteArrayCoder.of()))
        .apply(FairnessEval.evaluate(WeightedRows.config()))
        .apply(FairnessEval.write().to(out.toString()));
    pipeline.run().waitUntilFinish();
    WeightedRows.check(EvalResultReader.metrics(out), WeightedRows.expected(rows));
    assertEquals("<PCollection>", EvalResultReader.evalRun(out).getDataLocation());
  }

  /** withDataLocation names the records' source in the run record, as TFMA's display location. */
  @Test
  public void theDataLocationNamesTheRecordsSourceInTheRunRecord() throws Exception {
    Path out = temp.getRoot().toPath().resolve("eval");
    pipeline
        .apply(
            Create.of(WeightedRows.records(WeightedRows.rows().subList(0, 40)))
                .withCoder(ByteArrayCoder.of()))
        .apply(
            FairnessEval.evaluate(WeightedRows.config())
                .withDataLocation("bq://project.dataset.eval_rows"))
        .apply(FairnessEval.write().to(out.toString()));
    pipeline.run().waitUntilFinish();
    assertEquals("bq://project.dataset.eval_rows", EvalResultReader.evalRun(out).getDataLocation());
    assertEquals(
        "bq://project.dataset.eval_rows", EvalResultReader.runSummary(out).getDataLocation());
  }
}
