package io.fairbeam.beam;

import io.fairbeam.eval.BadRecordHandler;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RecordEvaluator;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.slice.SliceKey;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Extracts, predicts, slices and pre-aggregates serialized {@code tf.Example} records given as a
 * PCollection, emitting one accumulator per slice per bundle, like {@link EvaluateFilesFn} does for
 * files. Records are numbered within the bundle in messages and dead letters.
 */
final class EvaluateRecordsFn extends DoFn<byte[], KV<SliceKey, byte[]>> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final DeriveResults.Tags tags;
  private final boolean badRecordOutput;
  private final Counter recordsRead = BundleResults.recordsRead();
  private transient DeadLetters deadLetters;
  private transient RecordEvaluator evaluator;
  private transient long recordIndex;

  EvaluateRecordsFn(EvalPlan plan, DeriveResults.Tags tags, boolean badRecordOutput) {
    this.plan = plan;
    this.tags = tags;
    this.badRecordOutput = badRecordOutput;
  }

  @Setup
  public void setup() {
    deadLetters = badRecordOutput ? new DeadLetters(tags.badRecords()) : null;
    evaluator = new RecordEvaluator(plan, RecordFormat.TFRECORD, null, deadLetters);
  }

  @Teardown
  public void teardown() {
    if (evaluator != null) {
      evaluator.close();
    }
  }

  @StartBundle
  public void startBundle() {
    recordIndex = 0;
  }

  @ProcessElement
  public void processElement(@Element byte[] record, MultiOutputReceiver out) {
    if (deadLetters != null) {
      deadLetters.to(out);
    }
    evaluator.evaluateRecord(record, BadRecordHandler.PCOLLECTION_SOURCE, recordIndex++);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (deadLetters != null) {
      deadLetters.to(context);
    }
    BundleResults.emit(evaluator, context, tags, recordsRead, 0);
  }
}
