package io.fairbeam.beam;

import io.fairbeam.eval.RecordEvaluator;
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
 * Emits what a {@link RecordEvaluator} gathered in one bundle: one encoded accumulator per slice
 * (the main output) and the bundle's counts. Shared by the DoFns that evaluate files and records.
 */
final class BundleResults {
  private BundleResults() {}

  static Counter recordsRead() {
    return Metrics.counter(FairnessEval.COUNTERS, FairnessEval.RECORDS_READ);
  }

  /**
   * Emits the bundle's results; {@code reported} records were already counted in {@code
   * recordsRead} while the bundle ran.
   */
  static void emit(
      RecordEvaluator evaluator,
      DoFn<?, KV<SliceKey, byte[]>>.FinishBundleContext out,
      DeriveResults.Tags tags,
      Counter recordsRead,
      long reported) {
    evaluator.finishBatch();
    RecordEvaluator.Drained drained = evaluator.drain();
    for (Map.Entry<SliceKey, ModelAccumulators> entry : drained.slices().entrySet()) {
      out.output(
          KV.of(entry.getKey(), entry.getValue().toBytes()),
          BoundedWindow.TIMESTAMP_MIN_VALUE,
          GlobalWindow.INSTANCE);
    }
    recordsRead.inc(drained.counts().recordsRead() - reported);
    if (!drained.counts().isEmpty()) {
      out.output(
          tags.counts(),
          drained.counts(),
          BoundedWindow.TIMESTAMP_MIN_VALUE,
          GlobalWindow.INSTANCE);
    }
  }
}
