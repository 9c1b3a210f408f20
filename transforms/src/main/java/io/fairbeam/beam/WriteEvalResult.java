package io.fairbeam.beam;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.io.ResultFiles;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.EvalRun;
import io.fairbeam.proto.tfma.ValidationResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes an evaluation in TFMA's output layout into a directory: {@code eval_config.json},
 * {@code metrics-00000-of-00001.tfrecord}, {@code plots-00000-of-00001.tfrecord} and {@code
 * validations.tfrecord}, plus Fairbeam's {@code fairbeam_run.json} with the input counts. Outputs
 * named in {@code options.disabled_outputs} are not written.
 *
 * <p>All files are written by one step once the counts are known (there is one record per
 * slice, so the result is small), and only if at least one example was evaluated: an empty or
 * wholly bad input fails the run and writes nothing. Callers write into a temporary directory and
 * move it into place only after the pipeline succeeded.
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
    PCollectionView<Iterable<byte[]>> metrics =
        result.metrics().apply("MetricsView", View.asIterable());
    PCollectionView<Iterable<byte[]>> plots = result.plots().apply("PlotsView", View.asIterable());
    String evalRunJson;
    try {
      evalRunJson = JsonFormat.printer().print(evalRun);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print EvalRun as JSON", e);
    }
    result.counts().apply("WriteFiles", ParDo.of(
            new WriteFilesFn(plan, directory, evalRunJson, summaryTemplate, metrics, plots))
        .withSideInputs(metrics, plots));
    return PDone.in(result.getPipeline());
  }

  /** Writes every result file, once the input counts are known. */
  private static final class WriteFilesFn extends DoFn<RunCounts, Void> {
    private static final long serialVersionUID = 1L;
    private final EvalPlan plan;
    private final String directory;
    private final String evalRunJson;
    private final RunSummary template;
    private final PCollectionView<Iterable<byte[]>> metrics;
    private final PCollectionView<Iterable<byte[]>> plots;

    WriteFilesFn(EvalPlan plan, String directory, String evalRunJson, RunSummary template,
        PCollectionView<Iterable<byte[]>> metrics, PCollectionView<Iterable<byte[]>> plots) {
      this.plan = plan;
      this.directory = directory;
      this.evalRunJson = evalRunJson;
      this.template = template;
      this.metrics = metrics;
      this.plots = plots;
    }

    @ProcessElement
    public void processElement(@Element RunCounts counts, ProcessContext context)
        throws IOException {
      if (counts.examplesEvaluated() == 0) {
        throw new EmptyInputException(counts.recordsRead() == 0
            ? "no records in " + template.getDataLocation() + ": the input is empty"
            : "no example of " + template.getDataLocation() + " could be evaluated: all "
                + counts.recordsRead() + " records were skipped " + counts.skippedByReason());
      }
      if (plan.outputEnabled("metrics")) {
        writeRecords(ResultFiles.METRICS_PREFIX + "-00000-of-00001.tfrecord",
            context.sideInput(metrics));
      }
      if (plan.outputEnabled("plots")) {
        writeRecords(ResultFiles.PLOTS_PREFIX + "-00000-of-00001.tfrecord",
            context.sideInput(plots));
      }
      if (plan.outputEnabled("validations")) {
        ValidationResult validation = ValidationResult.newBuilder()
            .setValidationOk(false).setMissingThresholds(true).build();
        writeRecords(ResultFiles.VALIDATIONS, java.util.List.of(validation.toByteArray()));
      }
      if (plan.outputEnabled("eval_config.json")) {
        writeText(ResultFiles.EVAL_CONFIG, evalRunJson);
      }
      RunSummary.Builder summary = template.toBuilder().mergeFrom(counts.toProto());
      counts.slicingFeatureExamples().forEach((feature, examples) -> {
        if (examples == 0) {
          summary.addWarnings("slicing feature '" + feature + "' is in none of the "
              + counts.examplesEvaluated() + " evaluated examples, so the slices that need it"
              + " are empty; is the name in slicing_specs spelt as in the data?");
        }
      });
      writeText(ResultFiles.RUN_SUMMARY, JsonFormat.printer().print(summary));
    }

    private ResourceId file(String name) {
      return FileSystems.matchNewResource(directory, true)
          .resolve(name, StandardResolveOptions.RESOLVE_FILE);
    }

    private void writeRecords(String name, Iterable<byte[]> records) throws IOException {
      try (OutputStream out = new BufferedOutputStream(
              Channels.newOutputStream(FileSystems.create(file(name), MimeTypes.BINARY)),
              1 << 16);
          TFRecordWriter writer = new TFRecordWriter(out)) {
        for (byte[] record : records) {
          writer.write(record);
        }
      }
    }

    private void writeText(String name, String text) throws IOException {
      try (OutputStream out =
          Channels.newOutputStream(FileSystems.create(file(name), MimeTypes.TEXT))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
