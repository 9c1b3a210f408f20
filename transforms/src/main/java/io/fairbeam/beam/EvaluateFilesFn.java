package io.fairbeam.beam;

import io.fairbeam.eval.ExampleAggregator;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.FileEvaluator;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Map;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads, extracts, predicts, slices and pre-aggregates whole input files (a group of them per element) in
 * one fused step, emitting one
 * accumulator per slice per bundle (and the bundle's {@link RunCounts}) instead of one element
 * per example. This keeps the runner's per-element cost off the per-example path.
 *
 * <p>The partial accumulators leave already encoded ({@link ModelAccumulators#toBytes}): runners
 * that copy grouped values (the Direct Runner copies a key's whole group each time a value
 * joins it) then copy bytes instead of re-encoding histograms.
 */
final class EvaluateFilesFn extends DoFn<List<MatchResult.Metadata>, KV<SliceKey, byte[]>> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final RecordFormat format;
  private final CsvSchema csvSchema;
  private final TupleTag<RunCounts> countsTag;
  /** Records read by this worker: shows in the runner's UI and REST API how the reading spread. */
  private final Counter recordsRead = Metrics.counter(EvaluateFilesFn.class, "records_read");
  private final Counter filesRead = Metrics.counter(EvaluateFilesFn.class, "files_read");
  private transient FileEvaluator evaluator;

  EvaluateFilesFn(EvalPlan plan, RecordFormat format, CsvSchema csvSchema,
      TupleTag<RunCounts> countsTag) {
    this.plan = plan;
    this.format = format;
    this.csvSchema = csvSchema;
    this.countsTag = countsTag;
  }

  @Setup
  public void setup() {
    evaluator = new FileEvaluator(plan, format, csvSchema);
  }

  @Teardown
  public void teardown() {
    if (evaluator != null) {
      evaluator.close();
    }
  }

  @ProcessElement
  public void processElement(@Element List<MatchResult.Metadata> files) throws IOException {
    for (MatchResult.Metadata file : files) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        evaluator.evaluate(in, file.resourceId().toString());
      }
      filesRead.inc();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    evaluator.finishBatch();
    ExampleAggregator.Drained drained = evaluator.aggregator().drain();
    for (Map.Entry<SliceKey, ModelAccumulators> entry : drained.slices().entrySet()) {
      context.output(KV.of(entry.getKey(), entry.getValue().toBytes()),
          BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
    recordsRead.inc(drained.counts().recordsRead());
    if (!drained.counts().isEmpty()) {
      context.output(countsTag, drained.counts(), BoundedWindow.TIMESTAMP_MIN_VALUE,
          GlobalWindow.INSTANCE);
    }
  }
}
