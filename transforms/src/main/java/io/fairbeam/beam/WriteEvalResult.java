package io.fairbeam.beam;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.io.ResultFiles;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.EvalRun;
import io.fairbeam.proto.tfma.ValidationResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TFRecordIO;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes an evaluation in TFMA's output layout into a directory: {@code eval_config.json},
 * {@code metrics-00000-of-00001.tfrecord}, {@code plots-00000-of-00001.tfrecord} and {@code
 * validations.tfrecord}, plus Fairbeam's {@code fairbeam_run.json} with the input counts. Outputs
 * named in {@code options.disabled_outputs} are not written.
 *
 * <p>The run fails if no example was evaluated, so an empty or wholly bad input never produces
 * a result. Callers write into a temporary directory and move it into place only after the
 * pipeline succeeded.
 */
public final class WriteEvalResult extends PTransform<FairnessEvaluation.Result, PDone> {
  private static final long serialVersionUID = 1L;

  private final EvalPlan plan;
  private final String directory;
  private final EvalRun evalRun;
  private final RunSummary summaryTemplate;

  /**
   * Writes into {@code directory}; {@code evalRun} becomes {@code eval_config.json} and {@code
   * summaryTemplate} (policy, data location, format) is completed with the counts.
   */
  public WriteEvalResult(EvalPlan plan, String directory, EvalRun evalRun,
      RunSummary summaryTemplate) {
    this.plan = plan;
    this.directory = directory;
    this.evalRun = evalRun;
    this.summaryTemplate = summaryTemplate;
  }

  @Override
  public PDone expand(FairnessEvaluation.Result result) {
    if (plan.outputEnabled("metrics")) {
      result.metrics().apply("WriteMetrics", shardedTfRecord(ResultFiles.METRICS_PREFIX));
    }
    if (plan.outputEnabled("plots")) {
      result.plots().apply("WritePlots", shardedTfRecord(ResultFiles.PLOTS_PREFIX));
    }
    if (plan.outputEnabled("validations")) {
      ValidationResult validation =
          ValidationResult.newBuilder().setValidationOk(false).setMissingThresholds(true).build();
      result.begin()
          .apply("Validation", Create.of(validation.toByteArray()).withCoder(ByteArrayCoder.of()))
          .apply("WriteValidations", TFRecordIO.write()
              .to(directory + "/" + ResultFiles.VALIDATIONS)
              .withoutSharding());
    }
    if (plan.outputEnabled("eval_config.json")) {
      String json;
      try {
        json = JsonFormat.printer().print(evalRun);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("cannot print EvalRun as JSON", e);
      }
      result.begin()
          .apply("EvalRun", Create.of(json).withCoder(StringUtf8Coder.of()))
          .apply("WriteEvalConfig", ParDo.of(new WriteTextFn(directory, ResultFiles.EVAL_CONFIG)));
    }
    result.counts().apply("WriteRunSummary",
        ParDo.of(new WriteRunSummaryFn(directory, summaryTemplate)));
    return PDone.in(result.getPipeline());
  }

  private TFRecordIO.Write shardedTfRecord(String prefix) {
    return TFRecordIO.write()
        .to(directory + "/" + prefix)
        .withShardNameTemplate("-SSSSS-of-NNNNN")
        .withSuffix(".tfrecord")
        .withNumShards(1);
  }

  static void writeText(String directory, String name, String text) throws IOException {
    ResourceId file = FileSystems.matchNewResource(directory, true)
        .resolve(name, org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Writes one text element as a file. */
  private static final class WriteTextFn extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private final String directory;
    private final String name;

    WriteTextFn(String directory, String name) {
      this.directory = directory;
      this.name = name;
    }

    @ProcessElement
    public void processElement(@Element String text) throws IOException {
      writeText(directory, name, text);
    }
  }

  /** Writes {@code fairbeam_run.json}, failing the run when no example was evaluated. */
  private static final class WriteRunSummaryFn extends DoFn<RunCounts, Void> {
    private static final long serialVersionUID = 1L;
    private final String directory;
    private final RunSummary template;

    WriteRunSummaryFn(String directory, RunSummary template) {
      this.directory = directory;
      this.template = template;
    }

    @ProcessElement
    public void processElement(@Element RunCounts counts) throws IOException {
      if (counts.examplesEvaluated() == 0) {
        throw new EmptyInputException(counts.recordsRead() == 0
            ? "no records in " + template.getDataLocation() + ": the input is empty"
            : "no example of " + template.getDataLocation() + " could be evaluated: all "
                + counts.recordsRead() + " records were skipped "
                + counts.skippedByReason());
      }
      RunSummary summary = template.toBuilder().mergeFrom(counts.toProto()).build();
      writeText(directory, ResultFiles.RUN_SUMMARY, JsonFormat.printer().print(summary));
    }
  }
}
