package io.fairbeam.io;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.DecisionCountsForSlice;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.EvalRun;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an evaluation result directory back, as {@code tfma.load_eval_result} does: every {@code
 * metrics*.tfrecord} and {@code plots*.tfrecord} shard, the validation result, the run record and
 * Fairbeam's run summary. Used by the report and by tests that check written files.
 */
public final class EvalResultReader {
  private EvalResultReader() {}

  /** All {@code MetricsForSlice} records of the result in {@code directory}. */
  public static List<MetricsForSlice> metrics(Path directory) throws IOException {
    List<MetricsForSlice> result = new ArrayList<>();
    for (byte[] record : records(directory, ResultFiles.METRICS_PREFIX + "*.tfrecord")) {
      result.add(MetricsForSlice.parseFrom(record));
    }
    return result;
  }

  /** What a streaming read does with each record. */
  public interface RecordConsumer<T> {
    void accept(T record) throws IOException;
  }

  /**
   * Calls {@code each} with every {@code MetricsForSlice} record of the result in {@code
   * directory}, one at a time: a million slices' records are gigabytes once parsed.
   */
  public static void forEachMetrics(Path directory, RecordConsumer<MetricsForSlice> each)
      throws IOException {
    forEachRecord(
        directory,
        ResultFiles.METRICS_PREFIX + "*.tfrecord",
        bytes -> each.accept(MetricsForSlice.parseFrom(bytes)));
  }

  /**
   * Calls {@code each} with every {@code DecisionCountsForSlice} record of the result in {@code
   * directory}, one at a time (none in a result without them, as TFMA's own).
   */
  public static void forEachDecisionCounts(
      Path directory, RecordConsumer<DecisionCountsForSlice> each) throws IOException {
    forEachRecord(
        directory,
        ResultFiles.DECISIONS_PREFIX + "-*.tfrecord",
        bytes -> each.accept(DecisionCountsForSlice.parseFrom(bytes)));
  }

  /** All {@code PlotsForSlice} records of the result in {@code directory}. */
  public static List<PlotsForSlice> plots(Path directory) throws IOException {
    List<PlotsForSlice> result = new ArrayList<>();
    for (byte[] record : records(directory, ResultFiles.PLOTS_PREFIX + "*.tfrecord")) {
      result.add(PlotsForSlice.parseFrom(record));
    }
    return result;
  }

  /** The single {@code ValidationResult}. */
  public static ValidationResult validation(Path directory) throws IOException {
    List<byte[]> records = records(directory, ResultFiles.VALIDATIONS);
    if (records.size() != 1) {
      throw new IOException(
          directory.resolve(ResultFiles.VALIDATIONS)
              + ": expected exactly one"
              + " ValidationResult, found "
              + records.size());
    }
    return ValidationResult.parseFrom(records.get(0));
  }

  /** The {@code EvalRun} of {@code eval_config.json}. */
  public static EvalRun evalRun(Path directory) throws IOException {
    EvalRun.Builder run = EvalRun.newBuilder();
    parseJson(directory.resolve(ResultFiles.EVAL_CONFIG), run);
    return run.build();
  }

  /** Fairbeam's {@code RunSummary} of {@code fairbeam_run.json}. */
  public static RunSummary runSummary(Path directory) throws IOException {
    RunSummary.Builder summary = RunSummary.newBuilder();
    parseJson(directory.resolve(ResultFiles.RUN_SUMMARY), summary);
    return summary.build();
  }

  /** Fairbeam's {@code DisparityReport} of {@code fairbeam_disparities.json}; empty without it. */
  public static DisparityReport disparities(Path directory) throws IOException {
    DisparityReport.Builder report = DisparityReport.newBuilder();
    Path file = directory.resolve(ResultFiles.DISPARITIES);
    if (Files.exists(file)) {
      parseJson(file, report);
    }
    return report.build();
  }

  /** Fairbeam's verdicts of {@code constraints.json} (a JSON list); empty without it. */
  public static ConstraintReport constraints(Path directory) throws IOException {
    ConstraintReport.Builder report = ConstraintReport.newBuilder();
    Path file = directory.resolve(ResultFiles.CONSTRAINTS);
    if (Files.exists(file)) {
      String list = Files.readString(file, StandardCharsets.UTF_8);
      try {
        JsonFormat.parser().merge("{\"constraints\": " + list + "}", report);
      } catch (InvalidProtocolBufferException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
    return report.build();
  }

  private static void parseJson(Path file, com.google.protobuf.Message.Builder builder)
      throws IOException {
    try {
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static List<byte[]> records(Path directory, String glob) throws IOException {
    List<byte[]> result = new ArrayList<>();
    forEachRecord(directory, glob, result::add);
    return result;
  }

  private static void forEachRecord(Path directory, String glob, RecordConsumer<byte[]> each)
      throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, glob)) {
      stream.forEach(files::add);
    }
    files.sort(null);
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file);
          TFRecordReader reader = TFRecordReader.open(in, file.toString())) {
        int length;
        while ((length = reader.next()) >= 0) {
          each.accept(reader.copy(length));
        }
      }
    }
  }
}
