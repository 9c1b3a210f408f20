package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RecordEvaluator;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Reads, extracts, predicts, slices and pre-aggregates whole input files (a group of them per
 * element) in one fused step, so the runner's per-element cost stays off the per-example path.
 */
final class EvaluateFilesFn extends EvaluatingFn<List<MatchResult.Metadata>> {
  private static final long serialVersionUID = 1L;

  private final Counter filesRead = Metrics.counter(FairnessEval.COUNTERS, "files_read");

  EvaluateFilesFn(
      EvalPlan plan,
      RecordFormat format,
      CsvSchema csvSchema,
      DeriveResults.Tags tags,
      boolean badRecordOutput) {
    super(plan, format, csvSchema, tags, badRecordOutput);
  }

  @ProcessElement
  public void processElement(@Element List<MatchResult.Metadata> files, MultiOutputReceiver out)
      throws IOException {
    RecordEvaluator evaluator = evaluatorFor(out);
    for (MatchResult.Metadata file : files) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        evaluator.evaluate(in, file.resourceId().toString());
      }
      filesRead.inc();
      reportRecordsRead();
    }
  }
}
