package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.slice.SliceKey;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
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
 * <p>The matched files are split into groups of about equal size ({@link #withReadGroups}), and
 * groups are distributed across workers; a worker reads whole files (TFRecord and GZIP cannot be
 * split), so give at least as many shards as workers.
 */
public final class FairnessEvaluation extends PTransform<PBegin, FairnessEvaluation.Result> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final String pattern;
  private final RecordFormat format;
  private final CsvSchema csvSchema;
  private final int readGroups;

  private FairnessEvaluation(EvalPlan plan, String pattern, RecordFormat format,
      CsvSchema csvSchema, int readGroups) {
    this.plan = plan;
    this.pattern = pattern;
    this.format = format;
    this.csvSchema = csvSchema;
    this.readGroups = readGroups;
  }

  /** The default number of file groups read in parallel (see {@link #withReadGroups}). */
  public static final int DEFAULT_READ_GROUPS = 64;

  /** An evaluation under {@code plan}; set the input with {@link #from}. */
  public static FairnessEvaluation of(EvalPlan plan) {
    return new FairnessEvaluation(plan, null, null, null, DEFAULT_READ_GROUPS);
  }

  /** Reads the files matching {@code filePattern}, in the format its extension implies. */
  public FairnessEvaluation from(String filePattern) {
    return new FairnessEvaluation(plan, filePattern, RecordFormat.fromPattern(filePattern),
        csvSchema, readGroups);
  }

  /** Sets the input format explicitly. */
  public FairnessEvaluation withFormat(RecordFormat recordFormat) {
    return new FairnessEvaluation(plan, pattern, recordFormat, csvSchema, readGroups);
  }

  /** Sets the schema of CSV input (required for CSV; see {@link CsvSchema#infer}). */
  public FairnessEvaluation withCsvSchema(CsvSchema schema) {
    return new FairnessEvaluation(plan, pattern, format, schema, readGroups);
  }

  /**
   * Reads the input files in at most {@code groups} groups of about equal size, each group one
   * unit of parallel work (default {@value #DEFAULT_READ_GROUPS}). Set it to the runner's
   * parallelism: more groups than workers only adds partial accumulators to merge, fewer leaves
   * workers idle.
   */
  public FairnessEvaluation withReadGroups(int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("read groups must be >= 1, got " + groups);
    }
    return new FairnessEvaluation(plan, pattern, format, csvSchema, groups);
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
            .apply("CollectFiles", WithKeys.of(0))
            .setCoder(KvCoder.of(VarIntCoder.of(), MetadataCoderV2.of()))
            .apply("AllFiles", GroupByKey.create())
            .apply("GroupFiles", ParDo.of(new GroupFiles(readGroups)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(MetadataCoderV2.of())))
            // The fusion break: without it a runner may fuse the read into the single-key
            // grouping above and read everything in one task (TFMA issue #170 on Flink).
            .apply("DistributeGroups", Reshuffle.of())
            .apply("DropGroupIndex", Values.create())
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
                new MergeSliceAccumulators(plan.accumulatorSpec(), plan.models().size())))
            .apply("DeriveMetrics", ParDo.of(new ComputeSliceResultsFn(plan, metricsTag, plotsTag))
                .withOutputTags(metricsTag, TupleTagList.of(plotsTag)));
    return new Result(
        begin,
        results.get(metricsTag).setCoder(ByteArrayCoder.of()),
        results.get(plotsTag).setCoder(ByteArrayCoder.of()),
        counts);
  }

}
