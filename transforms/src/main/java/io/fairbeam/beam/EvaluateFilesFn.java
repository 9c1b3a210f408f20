package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RecordEvaluator;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Reads, extracts, predicts, slices and pre-aggregates whole input files or ranges of them (a group
 * of them per element, see {@link GroupFiles}) in one fused step, so the runner's per-element cost
 * stays off the per-example path.
 */
final class EvaluateFilesFn extends EvaluatingFn<List<FileRange>> {
  private static final long serialVersionUID = 1L;

  private final Counter filesRead = Metrics.counter(FairnessEval.COUNTERS, "files_read");
  private final Counter rangesRead = Metrics.counter(FairnessEval.COUNTERS, "file_ranges_read");

  EvaluateFilesFn(
      EvalPlan plan,
      RecordFormat format,
      CsvSchema csvSchema,
      DeriveResults.Tags tags,
      boolean badRecordOutput) {
    super(plan, format, csvSchema, tags, badRecordOutput);
  }

  @ProcessElement
  public void processElement(@Element List<FileRange> ranges, MultiOutputReceiver out)
      throws IOException {
    RecordEvaluator evaluator = evaluatorFor(out);
    for (FileRange range : ranges) {
      String name = range.fileName();
      if (range.isWhole()) {
        try (InputStream in =
            Channels.newInputStream(FileSystems.open(range.file().resourceId()))) {
          evaluator.evaluate(in, name);
        }
        if (RecordFormat.isGzipName(name)) {
          evaluator.countCompressedFileReadWhole();
        }
        filesRead.inc();
      } else {
        try (ReadableByteChannel channel = FileSystems.open(range.file().resourceId())) {
          if (!(channel instanceof SeekableByteChannel seekable)) {
            throw new IOException(
                name + ": its file system cannot seek in it, so it cannot be read in ranges");
          }
          evaluator.evaluateRange(seekable, name, range.start(), range.end());
        }
        if (range.start() == 0) {
          filesRead.inc();
          evaluator.countFileReadInRanges();
        }
        rangesRead.inc();
      }
      reportRecordsRead();
    }
  }
}
