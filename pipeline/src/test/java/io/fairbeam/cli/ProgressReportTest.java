package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;

import io.fairbeam.beam.FairnessEval;
import io.fairbeam.config.EvalConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/**
 * The progress line's number: the {@code fairbeam/records_read} counter the evaluating steps keep
 * equals the records of the input, counted here from the file's lines.
 */
public class ProgressReportTest {
  @Test
  public void countsEveryRecordRead() throws Exception {
    Path titanic = SharedData.file("titanic.csv");
    long rows;
    try (var lines = Files.lines(titanic)) {
      rows = lines.filter(line -> !line.isBlank()).count() - 1; // less the header
    }
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply(
        FairnessEval.readAndEvaluate(
                EvalConfigLoader.load(SharedData.projectRoot().resolve("configs/titanic.pbtxt")))
            .from(titanic.toString()));
    PipelineResult result = pipeline.run();
    assertEquals(PipelineResult.State.DONE, ProgressReport.waitUntilFinish(result, System.err));
    assertEquals(rows, ProgressReport.recordsRead(result));
  }
}
