package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RecordEvaluator;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Reads, extracts, predicts, slices and pre-aggregates whole input files (a group of them per
 * element) in one fused step, emitting one accumulator per slice per bundle (and the bundle's
 * {@link RunCounts}) instead of one element per example. This keeps the runner's per-element cost
 * off the per-example path.
 *
 * <p>The partial accumulators leave already encoded ({@link ModelAccumulators#toBytes}): runners
 * that copy grouped values (the Direct Runner copies a key's whole group each time a value joins
 * it) then copy bytes instead of re-encoding histograms.
 */
final class EvaluateFilesFn extends DoFn<List<MatchResult.Metadata>, KV<SliceKey, byte[]>> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final RecordFormat format;
  private final CsvSchema csvSchema;
  private final DeriveResults.Tags tags;
  private final boolean badRecordOutput;
  private final Counter recordsRead = BundleResults.recordsRead();
  private final Counter filesRead = Metrics.counter(FairnessEval.COUNTERS, "files_read");
  private transient DeadLetters deadLetters;
  private transient RecordEvaluator evaluator;

  /** Records of this bundle already counted in {@link #recordsRead}. */
  private transient long reported;

  EvaluateFilesFn(
      EvalPlan plan,
      RecordFormat format,
      CsvSchema csvSchema,
      DeriveResults.Tags tags,
      boolean badRecordOutput) {
    this.plan = plan;
    this.format = format;
    this.csvSchema = csvSchema;
    this.tags = tags;
    this.badRecordOutput = badRecordOutput;
  }

  @Setup
  public void setup() {
    deadLetters = badRecordOutput ? new DeadLetters(tags.badRecords()) : null;
    evaluator = new RecordEvaluator(plan, format, csvSchema, deadLetters);
  }

  @Teardown
  public void teardown() {
    if (evaluator != null) {
      evaluator.close();
    }
  }

  @ProcessElement
  public void processElement(@Element List<MatchResult.Metadata> files, MultiOutputReceiver out)
      throws IOException {
    if (deadLetters != null) {
      deadLetters.to(out);
    }
    for (MatchResult.Metadata file : files) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        evaluator.evaluate(in, file.resourceId().toString());
      }
      filesRead.inc();
      // Counted file by file, so runners that report counters while a bundle runs show progress.
      long read = evaluator.recordsRead();
      recordsRead.inc(read - reported);
      reported = read;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (deadLetters != null) {
      deadLetters.to(context);
    }
    BundleResults.emit(evaluator, context, tags, recordsRead, reported);
    reported = 0;
  }
}
