package io.fairbeam.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.fairbeam.io.EvalResultReader;
import io.fairbeam.io.OutputRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link WriteEvalResult} keeps the user's files safe when used from a library: an output holding
 * anything but a result is refused when the transform is applied, a previous result is replaced
 * whole, and no temporary directory or lock is left behind.
 */
public class WriteEvalResultTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder temp = new TemporaryFolder();

  private EvalResult evaluate(int rows) {
    List<byte[]> records = WeightedRows.records(WeightedRows.rows().subList(0, rows));
    return pipeline
        .apply(Create.of(records).withCoder(ByteArrayCoder.of()))
        .apply(FairnessEval.evaluate(WeightedRows.config()));
  }

  @Test
  public void refusesADirectoryWithTheUsersFiles() throws Exception {
    Path out = temp.newFolder("mine").toPath();
    Files.writeString(out.resolve("notes.txt"), "keep me");
    EvalResult result = evaluate(20);
    OutputRefusedException e =
        assertThrows(
            OutputRefusedException.class,
            () -> result.apply(FairnessEval.write().to(out.toString())));
    assertThat(e.getMessage(), containsString("notes.txt"));
    assertEquals("keep me", Files.readString(out.resolve("notes.txt")));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void replacesAPreviousResultWhole() throws Exception {
    Path out = temp.getRoot().toPath().resolve("result");
    evaluate(600).apply(FairnessEval.write().to(out.toString()));
    pipeline.run().waitUntilFinish();
    assertEquals(600, EvalResultReader.runSummary(out).getExamplesEvaluated());

    TestPipeline second = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    List<byte[]> one =
        List.of(
            io.fairbeam.extract.TestExamples.example(
                    "label", io.fairbeam.extract.TestExamples.ints(1),
                    "score", io.fairbeam.extract.TestExamples.floats(0.9f),
                    "w", io.fairbeam.extract.TestExamples.ints(1))
                .toByteArray());
    second
        .apply(Create.of(one).withCoder(ByteArrayCoder.of()))
        .apply(FairnessEval.evaluate(WeightedRows.config()))
        .apply(FairnessEval.write().to(out.toString()));
    second.run().waitUntilFinish();
    assertEquals(1, EvalResultReader.runSummary(out).getExamplesEvaluated());
    try (Stream<Path> siblings = Files.list(temp.getRoot().toPath())) {
      List<String> names = siblings.map(p -> p.getFileName().toString()).toList();
      assertEquals(List.of("result"), names);
    }
  }

  @Test
  public void anEmptyInputWritesNothing() {
    Path out = temp.getRoot().toPath().resolve("empty");
    pipeline
        .apply(Create.empty(ByteArrayCoder.of()))
        .apply(FairnessEval.evaluate(WeightedRows.config()))
        .apply(FairnessEval.write().to(out.toString()));
    Exception e = assertThrows(Exception.class, () -> pipeline.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("the input is empty"));
    assertFalse(Files.exists(out));
    assertTrue(temp.getRoot().list().length == 0);
  }
}
