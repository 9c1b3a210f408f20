package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RecordEvaluator;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.slice.SliceKey;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * What the DoFns that evaluate files ({@link EvaluateFilesFn}) and records ({@link
 * EvaluateRecordsFn}) share: a {@link RecordEvaluator} per DoFn instance, the dead-letter output,
 * the {@code fairbeam/records_read} counter, and the end of a bundle, which emits the bundle's
 * accumulators as one {@link SliceBatch} per slice shard (the main output, keyed by shard) and the
 * bundle's counts, instead of one element per example or per slice. The accumulators leave already
 * encoded: runners that copy grouped values then copy bytes instead of re-encoding histograms.
 */
abstract class EvaluatingFn<InputT> extends DoFn<InputT, KV<Integer, byte[]>> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final RecordFormat format;
  private final CsvSchema csvSchema;
  private final DeriveResults.Tags tags;
  private final boolean badRecordOutput;
  private final Counter recordsRead =
      Metrics.counter(FairnessEval.COUNTERS, FairnessEval.RECORDS_READ);
  private transient DeadLetters deadLetters;
  private transient RecordEvaluator evaluator;

  /** Records of this bundle already counted in {@link #recordsRead}. */
  private transient long reported;

  EvaluatingFn(
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

  /** The evaluator, with dead letters going to {@code out}, for the element being processed. */
  RecordEvaluator evaluatorFor(MultiOutputReceiver out) {
    if (deadLetters != null) {
      deadLetters.to(out);
    }
    return evaluator;
  }

  /**
   * Counts the records read so far in this bundle, so runners that report counters while a bundle
   * runs show progress.
   */
  void reportRecordsRead() {
    long read = evaluator.recordsRead();
    recordsRead.inc(read - reported);
    reported = read;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (deadLetters != null) {
      deadLetters.to(context);
    }
    evaluator.finishBatch();
    RecordEvaluator.Drained drained = evaluator.drain();
    SliceBatch[] batches = new SliceBatch[tags.sliceShards()];
    for (Map.Entry<SliceKey, ModelAccumulators> entry : drained.slices().entrySet()) {
      int shard = SliceShards.of(entry.getKey(), batches.length);
      if (batches[shard] == null) {
        batches[shard] = new SliceBatch();
      }
      batches[shard].add(entry.getKey(), entry.getValue());
    }
    for (int shard = 0; shard < batches.length; shard++) {
      if (batches[shard] != null) {
        context.output(
            KV.of(shard, batches[shard].toBytes()),
            BoundedWindow.TIMESTAMP_MIN_VALUE,
            GlobalWindow.INSTANCE);
      }
    }
    recordsRead.inc(drained.counts().recordsRead() - reported);
    reported = 0;
    if (!drained.counts().isEmpty()) {
      context.output(
          tags.counts(),
          drained.counts(),
          BoundedWindow.TIMESTAMP_MIN_VALUE,
          GlobalWindow.INSTANCE);
    }
  }
}
