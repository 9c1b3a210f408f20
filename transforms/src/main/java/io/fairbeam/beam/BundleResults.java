package io.fairbeam.beam;

import io.fairbeam.eval.ExampleAggregator;
import io.fairbeam.eval.FileEvaluator;
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
 * Emits what a {@link FileEvaluator} gathered in one bundle: one encoded accumulator per slice
 * (the main output) and the bundle's counts. Shared by the DoFns that evaluate files and
 * records.
 */
final class BundleResults {
  /** Records read in this step, per worker: the runner's UI shows how the reading spread. */
  static final String RECORDS_READ = "records_read";

  private BundleResults() {}

  static Counter recordsRead(Class<?> step) {
    return Metrics.counter(step, RECORDS_READ);
  }

  static void emit(FileEvaluator evaluator, DoFn<?, KV<SliceKey, byte[]>>.FinishBundleContext out,
      DeriveResults.Tags tags, Counter recordsRead) {
    evaluator.finishBatch();
    ExampleAggregator.Drained drained = evaluator.aggregator().drain();
    for (Map.Entry<SliceKey, ModelAccumulators> entry : drained.slices().entrySet()) {
      out.output(KV.of(entry.getKey(), entry.getValue().toBytes()),
          BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
    recordsRead.inc(drained.counts().recordsRead());
    if (!drained.counts().isEmpty()) {
      out.output(tags.counts(), drained.counts(), BoundedWindow.TIMESTAMP_MIN_VALUE,
          GlobalWindow.INSTANCE);
    }
  }
}
