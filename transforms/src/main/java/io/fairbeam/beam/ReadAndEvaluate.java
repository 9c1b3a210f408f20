package io.fairbeam.beam;

import io.fairbeam.config.ConfigException;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.ModelPlan;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.proto.tfma.EvalRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Reads the files matching a pattern and evaluates them under an EvalConfig, in one fused step per
 * group of files (read, extract, predict, slice and pre-aggregate), then merges per slice and
 * derives TFMA's metrics and plots. This is Fairbeam's fast path, and what the command line runs.
 * Create it with {@link FairnessEval#readAndEvaluate}.
 *
 * <pre>{@code
 * EvalResult result = pipeline.apply(FairnessEval.readAndEvaluate(config)
 *     .from("data/part-*.tfrecord.gz"));
 * }</pre>
 *
 * <p>Input: TFRecord of {@code tf.Example} (plain or GZIP), CSV with a header, or Avro. Unless
 * {@link #withFormat} names it, the format follows the pattern's extension ({@code .csv}, {@code
 * .avro}, else TFRecord), resolved when the transform is applied.
 *
 * <p>When applied, the transform checks what it can before any data is read, and fails with a
 * message naming the file or field: that files match the pattern, the config and each model's
 * signature, that a model taking serialized examples reads TFRecord, the CSV header (the columns'
 * types are inferred from all files) and that each model input is a feature of the data (in the CSV
 * header, the Avro schema or the first TFRecord example).
 *
 * <p>The matched files are split into groups of about equal size ({@link #withReadGroups}), each
 * read by one worker. An uncompressed TFRecord, CSV or Avro file larger than a group's share is cut
 * into byte ranges read by several workers (each worker finds the first record of its range, from
 * the records' checksums in TFRecord, from the quotes and line breaks in CSV, from the sync markers
 * in Avro; {@link FairbeamOptions#getSplitFiles() --splitFiles=false} turns this off); GZIP files
 * are read whole, so give at least as many GZIP shards as workers.
 */
public final class ReadAndEvaluate extends PTransform<PBegin, EvalResult> {
  private static final long serialVersionUID = 1L;

  /** The default number of file groups read in parallel (see {@link #withReadGroups}). */
  public static final int DEFAULT_READ_GROUPS = 64;

  private final EvaluationSettings settings;
  private final String pattern;
  private final RecordFormat format;
  private final int readGroups;

  private ReadAndEvaluate(
      EvaluationSettings settings, String pattern, RecordFormat format, int readGroups) {
    this.settings = settings;
    this.pattern = pattern;
    this.format = format;
    this.readGroups = readGroups;
  }

  static ReadAndEvaluate of(EvaluationSettings settings) {
    return new ReadAndEvaluate(settings, null, null, 0);
  }

  /** Reads the files matching {@code filePattern} (a path or glob any Beam file system reads). */
  public ReadAndEvaluate from(String filePattern) {
    if (filePattern == null || filePattern.isEmpty()) {
      throw new IllegalArgumentException("from() needs a file pattern");
    }
    return new ReadAndEvaluate(settings, filePattern, format, readGroups);
  }

  /** Reads the input as {@code recordFormat}, whatever the pattern's extension. */
  public ReadAndEvaluate withFormat(RecordFormat recordFormat) {
    return new ReadAndEvaluate(settings, pattern, recordFormat, readGroups);
  }

  /**
   * Reads the input files in at most {@code groups} groups of about equal size, each group one unit
   * of parallel work (default: {@link FairbeamOptions#getReadGroups() --readGroups}, or {@value
   * #DEFAULT_READ_GROUPS}). Set it to the runner's parallelism: more groups than workers only adds
   * partial accumulators to merge, fewer leaves workers idle.
   */
  public ReadAndEvaluate withReadGroups(int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("read groups must be >= 1, got " + groups);
    }
    return new ReadAndEvaluate(settings, pattern, format, groups);
  }

  /** As {@link EvaluateRecords#withModel(String, String)}. */
  public ReadAndEvaluate withModel(String name, String directory) {
    return new ReadAndEvaluate(settings.withModel(name, directory), pattern, format, readGroups);
  }

  /** As {@link EvaluateRecords#withModel(String)}. */
  public ReadAndEvaluate withModel(String directory) {
    return withModel("", directory);
  }

  /** As {@link EvaluateRecords#withoutBaseline}. */
  public ReadAndEvaluate withoutBaseline() {
    return new ReadAndEvaluate(settings.withoutBaseline(), pattern, format, readGroups);
  }

  /** As {@link EvaluateRecords#withBadRecordPolicy}. */
  public ReadAndEvaluate withBadRecordPolicy(BadRecordPolicy policy) {
    return new ReadAndEvaluate(settings.withBadRecordPolicy(policy), pattern, format, readGroups);
  }

  /** As {@link EvaluateRecords#withBadRecordOutput}. */
  public ReadAndEvaluate withBadRecordOutput() {
    return new ReadAndEvaluate(settings.withBadRecordOutput(), pattern, format, readGroups);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("filePattern", pattern).withLabel("Input files"))
        .addIfNotNull(
            DisplayData.item("format", format == null ? null : format.tfmaName())
                .withLabel("Record format"))
        .addIfNotDefault(DisplayData.item("readGroups", readGroups).withLabel("Read groups"), 0);
    settings.populateDisplayData(builder);
  }

  @Override
  public EvalResult expand(PBegin begin) {
    if (pattern == null) {
      throw new IllegalStateException("readAndEvaluate needs an input: call from(pattern)");
    }
    EvalPlan plan = settings.plan();
    List<MatchResult.Metadata> files = matchInput();
    RecordFormat resolved = format != null ? format : RecordFormat.fromPattern(pattern);
    if (plan.needsSerializedExamples() && resolved != RecordFormat.TFRECORD) {
      throw new ConfigException(
          "a model takes serialized tf.Example records, so the input "
              + pattern
              + " must be TFRecord; convert "
              + resolved.tfmaName()
              + " input with `fairbeam convert`");
    }
    FairbeamOptionsCheck.check(begin.getPipeline().getOptions());
    FairbeamOptions fairbeamOptions = begin.getPipeline().getOptions().as(FairbeamOptions.class);
    CsvSchema csvSchema;
    try {
      csvSchema =
          resolved == RecordFormat.CSV
              ? inferCsvSchema(
                  files, plan, fairbeamOptions.getSplitFiles(), fairbeamOptions.getMinRangeBytes())
              : null;
      if (resolved != RecordFormat.CSV) {
        ModelInputCheck.againstFirstRecord(plan, files.get(0), resolved);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }

    int groups = readGroups > 0 ? readGroups : fairbeamOptions.getReadGroups();
    DeriveResults.Tags tags = DeriveResults.Tags.create(begin.getPipeline().getOptions());
    long minRangeBytes = fairbeamOptions.getSplitFiles() ? fairbeamOptions.getMinRangeBytes() : 0;
    PCollectionTuple evaluated =
        begin
            .apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(pattern)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("CollectFiles", WithKeys.of(0))
            .setCoder(KvCoder.of(VarIntCoder.of(), MetadataCoderV2.of()))
            .apply("AllFiles", GroupByKey.create())
            .apply(
                "GroupFiles",
                ParDo.of(
                    new GroupFiles(
                        groups > 0 ? groups : DEFAULT_READ_GROUPS, resolved, minRangeBytes)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(FileRange.Coder.of())))
            // The fusion break: without it a runner may fuse the read into the single-key
            // grouping above and read everything in one task (TFMA issue #170 on Flink).
            .apply("DistributeGroups", Reshuffle.of())
            .apply("DropGroupIndex", Values.create())
            .apply(
                "ReadExtractSliceAggregate",
                ParDo.of(
                        new EvaluateFilesFn(
                            plan, resolved, csvSchema, tags, settings.badRecordOutput()))
                    .withOutputTags(tags.slices(), tags.additional()));
    EvalRun evalRun = FairnessEval.evalRun(plan, pattern, resolved);
    return DeriveResults.from(
        evaluated,
        tags,
        plan,
        FairnessEval.summaryTemplate(plan, settings.badRecordPolicy(), pattern, resolved, false),
        new ResultContext(plan, evalRun, inputs(files)));
  }

  private List<MatchResult.Metadata> matchInput() {
    try {
      MatchResult match = FileSystems.match(pattern);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        throw new IOException(pattern + ": no file matches");
      }
      return match.metadata();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The input files (paths or URLs) and model directories, which an output must not hold. */
  private List<String> inputs(List<MatchResult.Metadata> files) {
    List<String> inputs = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      inputs.add(file.resourceId().toString());
    }
    inputs.addAll(settings.modelDirectories());
    return inputs;
  }

  /**
   * Types the CSV columns from all input files (large ones in ranges, by several threads, unless
   * {@code splitFiles} is off), and checks the required columns exist.
   */
  private static CsvSchema inferCsvSchema(
      List<MatchResult.Metadata> files, EvalPlan plan, boolean splitFiles, long minRangeBytes)
      throws IOException {
    List<CsvSchema.Source> sources = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      sources.add(
          new CsvSchema.Source() {
            @Override
            public String name() {
              return file.resourceId().toString();
            }

            @Override
            public InputStream open() throws IOException {
              return Channels.newInputStream(FileSystems.open(file.resourceId()));
            }

            @Override
            public SeekableByteChannel openChannel() throws IOException {
              ReadableByteChannel channel = FileSystems.open(file.resourceId());
              if (channel instanceof SeekableByteChannel seekable) {
                return seekable;
              }
              channel.close();
              throw new IOException(name() + ": its file system cannot seek in it");
            }

            @Override
            public long size() {
              return splitFiles && file.isReadSeekEfficient() ? file.sizeBytes() : -1;
            }
          });
    }
    Set<String> required = new LinkedHashSet<>();
    for (ModelPlan model : plan.models()) {
      required.add(model.labelKey());
      if (model.predictionFeature() != null) {
        required.add(model.predictionFeature());
      }
      if (model.weightKey() != null) {
        required.add(model.weightKey());
      }
    }
    CsvSchema schema = CsvSchema.infer(sources, plan.features().names(), required, minRangeBytes);
    for (String column : required) {
      if (!schema.columns().contains(column)) {
        throw new IOException(
            sources.get(0).name()
                + ": CSV has no column '"
                + column
                + "'; columns: "
                + schema.columns());
      }
    }
    ModelInputCheck.against(
        plan, Set.copyOf(schema.columns()), sources.get(0).name() + " (CSV header)");
    return schema;
  }
}
