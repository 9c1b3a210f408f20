package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.metrics.SliceAccumulator;
import io.fairbeam.slice.SliceKey;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Evaluates the files matching a pattern under an {@link EvalPlan}: read, extract, slice and
 * pre-aggregate per bundle, merge per slice, and derive TFMA's metrics and plots.
 *
 * <pre>{@code
 * FairnessEvaluation.Result result =
 *     pipeline.apply(FairnessEvaluation.of(plan).from("data/*.tfrecord.gz"));
 * result.metrics();  // serialized MetricsForSlice, one per slice
 * }</pre>
 *
 * <p>Files are distributed across workers; each worker reads whole files (TFRecord and GZIP
 * cannot be split), so give many shards for parallelism.
 */
public final class FairnessEvaluation extends PTransform<PBegin, FairnessEvaluation.Result> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final String pattern;
  private final RecordFormat format;
  private final CsvSchema csvSchema;

  private FairnessEvaluation(EvalPlan plan, String pattern, RecordFormat format,
      CsvSchema csvSchema) {
    this.plan = plan;
    this.pattern = pattern;
    this.format = format;
    this.csvSchema = csvSchema;
  }

  /** An evaluation under {@code plan}; set the input with {@link #from}. */
  public static FairnessEvaluation of(EvalPlan plan) {
    return new FairnessEvaluation(plan, null, null, null);
  }

  /** Reads the files matching {@code filePattern}, in the format its extension implies. */
  public FairnessEvaluation from(String filePattern) {
    return new FairnessEvaluation(plan, filePattern, RecordFormat.fromPattern(filePattern),
        csvSchema);
  }

  /** Sets the input format explicitly. */
  public FairnessEvaluation withFormat(RecordFormat recordFormat) {
    return new FairnessEvaluation(plan, pattern, recordFormat, csvSchema);
  }

  /** Sets the schema of CSV input (required for CSV; see {@link CsvSchema#infer}). */
  public FairnessEvaluation withCsvSchema(CsvSchema schema) {
    return new FairnessEvaluation(plan, pattern, format, schema);
  }

  /** The outputs: serialized metrics and plots per slice, and the input counts. */
  public record Result(
      PBegin begin,
      PCollection<byte[]> metrics,
      PCollection<byte[]> plots,
      PCollection<RunCounts> counts)
      implements org.apache.beam.sdk.values.PInput, org.apache.beam.sdk.values.POutput {
    @Override
    public org.apache.beam.sdk.Pipeline getPipeline() {
      return begin.getPipeline();
    }

    /** Applies a transform to these outputs, e.g. {@link WriteEvalResult}. */
    public <OutputT extends org.apache.beam.sdk.values.POutput> OutputT apply(
        PTransform<? super Result, OutputT> transform) {
      return org.apache.beam.sdk.Pipeline.applyTransform(this, transform);
    }

    /** Applies a named transform to these outputs. */
    public <OutputT extends org.apache.beam.sdk.values.POutput> OutputT apply(
        String name, PTransform<? super Result, OutputT> transform) {
      return org.apache.beam.sdk.Pipeline.applyTransform(name, this, transform);
    }

    @Override
    public java.util.Map<TupleTag<?>, org.apache.beam.sdk.values.PValue> expand() {
      return java.util.Map.of(
          new TupleTag<byte[]>("metrics"), metrics,
          new TupleTag<byte[]>("plots"), plots,
          new TupleTag<RunCounts>("counts"), counts);
    }

    @Override
    public void finishSpecifyingOutput(String transformName,
        org.apache.beam.sdk.values.PInput input,
        PTransform<?, ?> transform) {}
  }

  @Override
  public Result expand(PBegin begin) {
    if (pattern == null) {
      throw new IllegalStateException("FairnessEvaluation needs an input: call from(pattern)");
    }
    if (format == RecordFormat.CSV && csvSchema == null) {
      throw new IllegalStateException("CSV input needs withCsvSchema(CsvSchema.infer(...))");
    }
    TupleTag<KV<SliceKey, byte[]>> slicesTag =
        new TupleTag<>() {};
    TupleTag<RunCounts> countsTag = new TupleTag<>() {};
    PCollectionTuple evaluated =
        begin
            .apply("MatchFiles", FileIO.match().filepattern(pattern)
                .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("DistributeFiles", Reshuffle.viaRandomKey())
            .apply("OpenFiles", FileIO.readMatches().withCompression(Compression.UNCOMPRESSED))
            .apply("ReadExtractSliceAggregate",
                ParDo.of(new EvaluateFilesFn(plan, format, csvSchema, countsTag))
                    .withOutputTags(slicesTag, TupleTagList.of(countsTag)));
    PCollection<KV<SliceKey, byte[]>> partials =
        evaluated.get(slicesTag).setCoder(KvCoder.of(SliceKeyCoder.of(), ByteArrayCoder.of()));
    PCollection<RunCounts> counts =
        evaluated.get(countsTag).setCoder(RunCountsCoder.of())
            .apply("SumCounts", Combine.globally(new MergeRunCounts()));

    TupleTag<byte[]> metricsTag = new TupleTag<>() {};
    TupleTag<byte[]> plotsTag = new TupleTag<>() {};
    PCollectionTuple results =
        partials
            .apply("MergePerSlice", Combine.perKey(
                new MergeSliceAccumulators(plan.accumulatorSpec())))
            .apply("DeriveMetrics", ParDo.of(new ComputeSliceResultsFn(plan, metricsTag, plotsTag))
                .withOutputTags(metricsTag, TupleTagList.of(plotsTag)));
    return new Result(
        begin,
        results.get(metricsTag).setCoder(ByteArrayCoder.of()),
        results.get(plotsTag).setCoder(ByteArrayCoder.of()),
        counts);
  }

}
