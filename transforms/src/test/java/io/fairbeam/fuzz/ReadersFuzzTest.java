package io.fairbeam.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordException;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RecordEvaluator;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the three input readers along the path a run takes (schema inference
 * for CSV, then {@link RecordEvaluator} with its decoders, slicing and aggregation) and of the
 * config loader. The invariant: any input either evaluates, with every record read counted as
 * evaluated or skipped, or fails with an {@link IOException} or {@link BadRecordException} whose
 * message starts with the file name; a config either loads or fails with a {@link ConfigException}.
 * Anything else (another exception, a stack overflow, an allocation beyond the bounds) is a
 * finding.
 *
 * <p>Under plain {@code mvn test} each target runs its committed regression inputs ({@code
 * src/test/resources/io/fairbeam/fuzz/ReadersFuzzTestInputs/<target>/}); with {@code JAZZER_FUZZ=1}
 * (see {@code scripts/fuzz --jazzer}) Jazzer fuzzes one target.
 */
class ReadersFuzzTest {
  private static final String FILE = "fuzz-input";
  private static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'score' example_weight_key: 'weight' }",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.3, 0.7]}' }",
          "  metrics { class_name: 'AUC' }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['group'] }",
          "slicing_specs { feature_keys: ['group', 'id'] }");

  private static EvalPlan plan() {
    try {
      return EvalPlan.create(
          EvalConfigLoader.parse(CONFIG, "fuzz.pbtxt").config(),
          EvalConfigLoader.parse(CONFIG, "fuzz.pbtxt").locations(),
          BadRecordPolicy.SKIP);
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }

  private static final EvalPlan PLAN = plan();

  private static void evaluate(RecordFormat format, CsvSchema schema, byte[] data) {
    try (RecordEvaluator evaluator = new RecordEvaluator(PLAN, format, schema, null)) {
      try {
        evaluator.evaluate(new ByteArrayInputStream(data), FILE);
        evaluator.finishBatch();
      } catch (IOException | BadRecordException e) {
        assertNamesTheFile(e);
        return;
      }
      RecordEvaluator.Drained drained = evaluator.drain();
      RunCounts counts = drained.counts();
      assertEquals(
          counts.recordsRead(),
          counts.examplesEvaluated() + counts.skippedTotal(),
          "every record read is evaluated or counted as skipped");
    }
  }

  /** A qualified exception class name: a message must say what is wrong in words instead. */
  private static final java.util.regex.Pattern CLASS_NAME =
      java.util.regex.Pattern.compile(
          "\\b(java|javax|org|com)\\.[a-z]+\\.[\\w.]*(Exception|Error)\\b");

  private static void assertNamesTheFile(Exception e) {
    assertTrue(
        e.getMessage() != null && e.getMessage().startsWith(FILE + ": "),
        () -> "message does not name the file: " + e);
    assertWithoutClassNames(e.getMessage());
  }

  private static void assertWithoutClassNames(String message) {
    assertTrue(
        !CLASS_NAME.matcher(message).find(),
        () -> "message shows an exception class name: " + message);
    // A message must say what is wrong on its first line: libraries' continuation lines (a
    // parser quoting its input) are left out by ExceptionText.describe, and the command line
    // shows line breaks in quoted input as \n.
    assertTrue(!message.contains("\n at [Source"), () -> "message quotes its source: " + message);
  }

  @FuzzTest(maxDuration = "30s")
  void tfrecord(byte[] data) {
    evaluate(RecordFormat.TFRECORD, null, data);
  }

  @FuzzTest(maxDuration = "30s")
  void avro(byte[] data) {
    evaluate(RecordFormat.AVRO, null, data);
  }

  @FuzzTest(maxDuration = "30s")
  void csv(byte[] data) {
    CsvSchema schema;
    CsvSchema.Source source =
        new CsvSchema.Source() {
          @Override
          public String name() {
            return FILE;
          }

          @Override
          public InputStream open() {
            return new ByteArrayInputStream(data);
          }
        };
    try {
      schema =
          CsvSchema.infer(
              List.of(source), PLAN.features().names(), Set.of("label", "score", "weight"));
    } catch (IOException e) {
      assertNamesTheFile(e);
      return;
    }
    evaluate(RecordFormat.CSV, schema, data);
  }

  @FuzzTest(maxDuration = "30s")
  void config(byte[] data) {
    String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
    try {
      EvalConfigLoader.Loaded loaded = EvalConfigLoader.parse(text, "fuzz.pbtxt");
      EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
    } catch (ConfigException e) {
      assertTrue(
          e.getMessage() != null && e.getMessage().startsWith("fuzz.pbtxt"),
          () -> "config message does not name the file: " + e.getMessage());
      assertWithoutClassNames(e.getMessage());
    }
  }
}
