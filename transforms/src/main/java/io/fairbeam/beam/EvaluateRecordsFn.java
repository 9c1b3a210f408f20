package io.fairbeam.beam;

import io.fairbeam.eval.BadRecordHandler;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.extract.RecordFormat;

/**
 * Extracts, predicts, slices and pre-aggregates serialized {@code tf.Example} records given as a
 * PCollection, like {@link EvaluateFilesFn} does for files. Records are numbered within the bundle
 * in messages and dead letters.
 */
final class EvaluateRecordsFn extends EvaluatingFn<byte[]> {
  private static final long serialVersionUID = 1L;

  private transient long recordIndex;

  EvaluateRecordsFn(EvalPlan plan, DeriveResults.Tags tags, boolean badRecordOutput) {
    super(plan, RecordFormat.TFRECORD, null, tags, badRecordOutput);
  }

  @StartBundle
  public void startBundle() {
    recordIndex = 0;
  }

  @ProcessElement
  public void processElement(@Element byte[] record, MultiOutputReceiver out) {
    evaluatorFor(out).evaluateRecord(record, BadRecordHandler.PCOLLECTION_SOURCE, recordIndex++);
  }
}
