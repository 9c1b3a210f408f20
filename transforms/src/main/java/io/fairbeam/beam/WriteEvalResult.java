package io.fairbeam.beam;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.io.RemoteResultDirectory;
import io.fairbeam.io.ResultDirectory;
import io.fairbeam.io.ResultFiles;
import io.fairbeam.io.ResultOutput;
import io.fairbeam.io.TfmaNames;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.ConstraintResult;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.ReportData;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.report.ReportDataReader;
import io.fairbeam.report.ReportFindings;
import io.fairbeam.report.ReportPage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes an {@link EvalResult} in TFMA's layout, so that {@code tfma.load_eval_result} and the
 * Fairness Indicators viewer read it: {@code eval_config.json}, {@code
 * metrics-00000-of-00001.tfrecord}, {@code plots-00000-of-00001.tfrecord} and {@code
 * validations.tfrecord}, plus Fairbeam's {@code fairbeam_run.json} (the {@code RunSummary}) and
 * {@code fairbeam_decisions-00000-of-00001.tfrecord} (what its decision intervals are computed
 * from, written with the metrics). Outputs the config names in {@code options.disabled_outputs} are
 * not written. Create it with {@link FairnessEval#write()} and set the directory with {@link #to}.
 *
 * <p>Safe with the user's files: when the transform is applied it refuses (with an {@link
 * io.fairbeam.io.OutputRefusedException}) a directory that holds anything but a previous result, or
 * holds an input of the evaluation, or that another run is writing. All files are written by one
 * step once the result is complete (it receives every slice's record, serialized in batches: about
 * 2 KB a slice) into a hidden sibling directory that then replaces the output, so a failed or
 * killed job leaves the previous result or the whole new one. An empty or wholly bad input fails
 * the job and writes nothing.
 *
 * <p>The directory is a local path (on a cluster, one mounted at the same path on every worker) or
 * a URL of any Beam filesystem ({@code hdfs://}, {@code gs://}, {@code s3://}); there the result is
 * committed by rename or by copy with {@code fairbeam_run.json} last, as {@link
 * RemoteResultDirectory} describes.
 */
public final class WriteEvalResult extends PTransform<EvalResult, PDone> {
  private static final long serialVersionUID = 1L;

  private final String directory;

  private WriteEvalResult(String directory) {
    this.directory = directory;
  }

  static WriteEvalResult create() {
    return new WriteEvalResult(null);
  }

  /** Writes into {@code outputDirectory}, created if needed. */
  public WriteEvalResult to(String outputDirectory) {
    if (outputDirectory == null || outputDirectory.isEmpty()) {
      throw new IllegalArgumentException("to() needs a directory");
    }
    return new WriteEvalResult(outputDirectory);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.addIfNotNull(DisplayData.item("directory", directory).withLabel("Output directory"));
  }

  @Override
  public PDone expand(EvalResult result) {
    if (directory == null) {
      throw new IllegalStateException("write() needs a directory: call to(directory)");
    }
    ResultContext context = result.context();
    try {
      ResultOutput.prepare(directory, context.inputs());
    } catch (IOException e) {
      throw new UncheckedIOException("--output " + directory + ": " + e.getMessage(), e);
    }
    String evalRunJson;
    try {
      evalRunJson = JsonFormat.printer().print(context.evalRun());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print EvalRun as JSON", e);
    }
    // Every part of the result, serialized in batches keyed by what it is, meets the one writer
    // under one key, not as side inputs: the Direct Runner has hung, rarely, quiescent with no
    // DoFn running (spinning in WatermarkManager.extractFiredTimers), which is how it waits on a
    // side input that never becomes ready. The cause was not reproduced in isolation.
    PCollectionList.of(keyedBatches(result.summary(), "Summary", SUMMARY))
        .and(keyedBatches(result.metrics(), "Metrics", METRICS))
        .and(keyedBatches(result.plots(), "Plots", PLOTS))
        .and(keyedBatches(result.decisionCounts(), "DecisionCounts", DECISION_COUNTS))
        .and(keyedBatches(result.validations(), "Validations", VALIDATIONS))
        .and(keyedBatches(result.disparities(), "Disparities", DISPARITIES))
        .and(keyedBatches(result.constraints(), "Constraints", CONSTRAINTS))
        .apply("ResultParts", Flatten.pCollections())
        .apply("OneWriter", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), PART_CODER))
        .apply("GatherParts", GroupByKey.create())
        .apply("WriteFiles", ParDo.of(new WriteFilesFn(context.plan(), directory, evalRunJson)));
    return PDone.in(result.getPipeline());
  }

  /** A batch of serialized records keyed by which part of the result they are. */
  private static final KvCoder<Integer, List<byte[]>> PART_CODER =
      KvCoder.of(VarIntCoder.of(), ListCoder.of(ByteArrayCoder.of()));

  private static final int SUMMARY = 0;
  private static final int METRICS = 1;
  private static final int PLOTS = 2;
  private static final int DECISION_COUNTS = 3;
  private static final int VALIDATIONS = 4;
  private static final int DISPARITIES = 5;
  private static final int CONSTRAINTS = 6;

  /** {@code records} as serialized batches ({@link SerializedBatchFn}) keyed by {@code part}. */
  private static <T extends MessageLite> PCollection<KV<Integer, List<byte[]>>> keyedBatches(
      PCollection<T> records, String name, int part) {
    return records
        .apply("Batch" + name, ParDo.of(new SerializedBatchFn<T>()))
        .setCoder(ListCoder.of(ByteArrayCoder.of()))
        .apply("Key" + name, WithKeys.of(part))
        .setCoder(PART_CODER);
  }

  /** The parts' batches, by part. */
  private static List<List<List<byte[]>>> byPart(Iterable<KV<Integer, List<byte[]>>> parts) {
    List<List<List<byte[]>>> result = new ArrayList<>();
    for (int p = 0; p <= CONSTRAINTS; p++) {
      result.add(new ArrayList<>());
    }
    for (KV<Integer, List<byte[]>> batch : parts) {
      result.get(batch.getKey()).add(batch.getValue());
    }
    return result;
  }

  /** Every record of {@code batches}, parsed. */
  private static <T> List<T> parsed(List<List<byte[]>> batches, RecordParser<T> parser)
      throws InvalidProtocolBufferException {
    List<T> result = new ArrayList<>();
    for (List<byte[]> batch : batches) {
      for (byte[] record : batch) {
        result.add(parser.parse(record));
      }
    }
    return result;
  }

  /** {@code parseFrom} of a message type. */
  @FunctionalInterface
  private interface RecordParser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  /** Writes every result file and moves the directory into place, once the summary is known. */
  private static final class WriteFilesFn
      extends DoFn<KV<Integer, Iterable<KV<Integer, List<byte[]>>>>, Void> {
    private static final long serialVersionUID = 1L;
    private final EvalPlan plan;
    private final String directory;
    private final String evalRunJson;

    WriteFilesFn(EvalPlan plan, String directory, String evalRunJson) {
      this.plan = plan;
      this.directory = directory;
      this.evalRunJson = evalRunJson;
    }

    @ProcessElement
    public void processElement(@Element KV<Integer, Iterable<KV<Integer, List<byte[]>>>> element)
        throws IOException {
      List<List<List<byte[]>>> parts = byPart(element.getValue());
      List<RunSummary> summaries = parsed(parts.get(SUMMARY), RunSummary::parseFrom);
      if (summaries.size() != 1) {
        throw new IllegalStateException(
            "expected one run summary, got " + summaries.size() + "; nothing was written");
      }
      RunSummary summary = summaries.get(0);
      if (summary.getExamplesEvaluated() == 0) {
        ResultOutput.release(directory);
        throw new EmptyInputException(
            summary.getRecordsRead() == 0
                ? "no records in " + summary.getDataLocation() + ": the input is empty"
                : "no example of "
                    + summary.getDataLocation()
                    + " could be evaluated: all "
                    + summary.getRecordsRead()
                    + " records were skipped "
                    + summary.getRecordsSkippedByReasonMap());
      }
      List<List<byte[]>> metricRecords = parts.get(METRICS);
      List<List<byte[]>> plotRecords = parts.get(PLOTS);
      List<List<byte[]>> decisionRecords = parts.get(DECISION_COUNTS);
      List<List<byte[]>> validationRecords = parts.get(VALIDATIONS);
      DisparityReport.Builder disparityReport = DisparityReport.newBuilder();
      parsed(parts.get(DISPARITIES), DisparityReport::parseFrom)
          .forEach(disparityReport::mergeFrom);
      ConstraintReport.Builder constraintReport = ConstraintReport.newBuilder();
      parsed(parts.get(CONSTRAINTS), ConstraintReport::parseFrom)
          .forEach(constraintReport::mergeFrom);
      ResultDirectory.Contents files =
          into -> {
            if (plan.outputEnabled(TfmaNames.OUTPUT_METRICS)) {
              writeRecords(
                  into.resolve(ResultFiles.METRICS_PREFIX + "-00000-of-00001.tfrecord"),
                  metricRecords);
              writeRecords(
                  into.resolve(ResultFiles.DECISIONS_PREFIX + "-00000-of-00001.tfrecord"),
                  decisionRecords);
            }
            if (plan.outputEnabled(TfmaNames.OUTPUT_PLOTS)) {
              writeRecords(
                  into.resolve(ResultFiles.PLOTS_PREFIX + "-00000-of-00001.tfrecord"), plotRecords);
            }
            if (plan.outputEnabled(TfmaNames.OUTPUT_VALIDATIONS)) {
              writeRecords(into.resolve(ResultFiles.VALIDATIONS), validationRecords);
            }
            if (plan.outputEnabled(TfmaNames.OUTPUT_EVAL_CONFIG)) {
              writeText(into.resolve(ResultFiles.EVAL_CONFIG), evalRunJson);
            }
            writeText(into.resolve(ResultFiles.RUN_SUMMARY), JsonFormat.printer().print(summary));
            if (disparityReport.getDisparitiesCount() > 0) {
              // Every field, zeros included, so a reader need not know proto3's defaults.
              writeText(
                  into.resolve(ResultFiles.DISPARITIES),
                  JsonFormat.printer().includingDefaultValueFields().print(disparityReport));
            }
            if (constraintReport.getConstraintsCount() > 0) {
              writeText(
                  into.resolve(ResultFiles.CONSTRAINTS), constraintsJson(constraintReport.build()));
            }
            if (plan.outputEnabled(TfmaNames.OUTPUT_REPORT)) {
              // Read back from the files just written, as `fairbeam report` reads any result.
              writeText(
                  into.resolve(ResultFiles.REPORT),
                  ReportPage.render(
                      ReportData.newBuilder()
                          .setFairbeamVersion(FairnessEval.VERSION)
                          .setParityRatio(ReportFindings.FOUR_FIFTHS)
                          .addResults(
                              ReportDataReader.read(into, directory, ReportFindings.FOUR_FIFTHS))
                          .build()));
            }
          };
      ResultOutput.write(directory, files);
    }

    /** Writes the serialized records of every batch as one TFRecord file. */
    private static void writeRecords(Path file, Iterable<List<byte[]>> batches) throws IOException {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
          TFRecordWriter writer = new TFRecordWriter(out)) {
        for (List<byte[]> batch : batches) {
          for (byte[] record : batch) {
            writer.write(record);
          }
        }
      }
    }

    /** The constraints as a JSON list, every field included (±∞ as "Infinity"). */
    private static String constraintsJson(ConstraintReport report)
        throws InvalidProtocolBufferException {
      JsonFormat.Printer printer =
          JsonFormat.printer().includingDefaultValueFields().preservingProtoFieldNames();
      List<String> items = new ArrayList<>();
      for (ConstraintResult c : report.getConstraintsList()) {
        items.add(printer.print(c).replace("\n", "\n  "));
      }
      // JsonFormat escapes < > = ' & as \\u00XX; constraints read better with them as they are.
      return ("[\n  " + String.join(",\n  ", items) + "\n]\n")
          .replace("\\u003c", "<")
          .replace("\\u003e", ">")
          .replace("\\u003d", "=")
          .replace("\\u0027", "'")
          .replace("\\u0026", "&");
    }

    private static void writeText(Path file, String text) throws IOException {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
  }
}
