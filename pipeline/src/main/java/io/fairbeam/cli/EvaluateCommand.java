package io.fairbeam.cli;

import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.gate.ThresholdIndex;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.io.OutputRefusedException;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.report.SeriesNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code fairbeam evaluate}: runs an EvalConfig over a data set and writes TFMA's result files. */
@Command(
    name = "evaluate",
    header = "Evaluates predictions or SavedModels; writes the result and report.",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates the predictions in --data (or those of the SavedModels given",
      "with --model) under the EvalConfig in --config and writes TFMA's result",
      "files (eval_config.json, metrics-*, plots-*, validations.tfrecord) into",
      "--output, then prints a table per slice (at most 40). The result appears",
      "only if the run succeeds. Any other option is a Beam pipeline option",
      "(--runner, --parallelism, ...) or Fairbeam's --readGroups (file groups",
      "read in parallel), --splitFiles=false (read each file whole, on one",
      "worker, instead of cutting a large uncompressed TFRecord, CSV or Avro",
      "file into byte ranges that every worker reads), --minRangeBytes (the",
      "smallest such range, 16 MiB) or --sliceShards (groups slices are",
      "derived in); the Direct Runner is the default. A run longer than 10 s",
      "prints the records read so far every 10 s."
    },
    footer = {
      "",
      "Exit status:",
      "  0  success; with thresholds or fairness_constraints: the model is blessed",
      "  1  the run failed (bad, damaged or empty input, a failing model, a full",
      "     disk, or a bug, whose message names the file with the trace); no",
      "     result is written",
      "  2  bad config or usage, or an output that is not Fairbeam's to replace",
      "  3  the model was evaluated and is not blessed: a threshold or a fairness",
      "     constraint fails (its complete result is written)",
      "Examples:",
      "  fairbeam evaluate --config configs/titanic.pbtxt --data data/titanic.csv \\",
      "    --output out/titanic",
      "  fairbeam evaluate --config configs/celeba-models.pbtxt \\",
      "    --data models/fixtures/celeba.tfrecord.gz \\",
      "    --model candidate=models/cnn_reweighted --model baseline=models/cnn_plain \\",
      "    --output out/celeba-models"
    })
final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "EvalConfig in protobuf text format, or TFMA's eval_config.json.")
  Path config;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "PATTERN",
      description =
          "Input file or glob: TFRecord of tf.Example (plain or GZIP), CSV with a"
              + " header, or Avro.")
  String data;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Result directory: created, or replaced if it holds only a previous result. A"
              + " local path, or an HDFS, S3 or Cloud Storage URL; fairbeam_run.json, written"
              + " last, marks a result complete.")
  String output;

  @Option(
      names = "--format",
      paramLabel = "tfrecord|csv|avro",
      description =
          "Input format; by default from the file extension (.csv, .avro, else" + " TFRecord).")
  String format;

  @Option(
      names = "--model",
      paramLabel = "[NAME=]PATH",
      description =
          "A TensorFlow SavedModel that predicts the scores of the model_specs named"
              + " NAME (PATH alone: the only model_specs). Repeat for candidate and baseline. A"
              + " model_specs without --model reads its score from the feature prediction_key.")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--bad-records",
      paramLabel = "fail|skip",
      defaultValue = "fail",
      description =
          "A record without a usable label, prediction or weight, or a corrupt"
              + " record: fail the run (default), or skip it and count it by reason.")
  String badRecords;

  @Option(
      names = "--no-baseline",
      description =
          "First run, with no baseline model yet (TFX's rubber stamp): drop the baseline"
              + " model_specs and the change thresholds; value thresholds still decide.")
  boolean noBaseline;

  @Option(
      names = "--blessing",
      paramLabel = "DIR",
      description =
          "Write an empty BLESSED or NOT_BLESSED file into DIR, as the TFX Evaluator does"
              + " (an earlier one there is removed first). Needs thresholds or"
              + " fairness_constraints.")
  Path blessing;

  @Option(
      names = "--junit",
      paramLabel = "FILE",
      description =
          "Write every check (threshold per slice, missing slice, fairness constraint) as a"
              + " JUnit XML test case, for Jenkins, GitLab or GitHub. Needs thresholds or"
              + " fairness_constraints.")
  Path junit;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description =
          "Append the verdict and the checks as Markdown to FILE (e.g."
              + " \"$GITHUB_STEP_SUMMARY\"). Needs thresholds or fairness_constraints.")
  Path summaryFile;

  @Unmatched List<String> pipelineArgs = new ArrayList<>();

  /**
   * The config of a run that must decide (--blessing, --junit, --summary), checked before any data
   * is read: one with no threshold and no constraint would bless nothing, and a report file that is
   * not Fairbeam's is not replaced.
   */
  private EvalConfig gateConfig() throws ConfigException {
    EvalConfig loaded = EvalConfigLoader.load(config).config();
    if (!ThresholdIndex.anyThreshold(loaded) && loaded.getFairnessConstraintsCount() == 0) {
      throw new ConfigException(
          (blessing != null ? "--blessing" : junit != null ? "--junit" : "--summary")
              + ": the config has no thresholds and no fairness_constraints, so the run would"
              + " judge nothing; add a threshold { value_threshold {...} } to a metric or a"
              + " fairness_constraints, or leave the option out");
    }
    if (junit != null && Files.exists(junit)) {
      String head;
      try {
        head = Files.readString(junit);
      } catch (java.io.IOException e) {
        throw new ConfigException("--junit " + junit + ": cannot read it (" + e + ")");
      }
      if (!head.contains("<testsuites name=\"fairbeam gate\"")) {
        throw new ConfigException(
            "--junit "
                + junit
                + ": the file exists and is not Fairbeam's JUnit XML; not replacing"
                + " it");
      }
    }
    return loaded;
  }

  @Override
  public Integer call() {
    RecordFormat recordFormat;
    BadRecordPolicy policy;
    try {
      recordFormat = format == null ? null : RecordFormat.parse(format);
    } catch (IllegalArgumentException e) {
      System.err.println("fairbeam evaluate: " + e.getMessage());
      return 2;
    }
    try {
      policy = BadRecordPolicy.valueOf(badRecords.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println(
          "fairbeam evaluate: --bad-records must be fail or skip, got " + badRecords);
      return 2;
    }
    for (String arg : pipelineArgs) {
      if (!arg.startsWith("--")) {
        System.err.println("fairbeam evaluate: unexpected argument " + arg);
        return 2;
      }
    }
    Map<String, String> modelPaths = new LinkedHashMap<>();
    for (String model : models) {
      int equals = model.indexOf('=');
      String name = equals < 0 ? "" : model.substring(0, equals);
      String path = equals < 0 ? model : model.substring(equals + 1);
      if (path.isEmpty() || modelPaths.put(name, path) != null) {
        System.err.println(
            "fairbeam evaluate: --model "
                + model
                + ": "
                + (path.isEmpty()
                    ? "no path"
                    : "model " + (name.isEmpty() ? "" : "'" + name + "' ") + "given twice"));
        return 2;
      }
    }
    EvalConfig gateConfig = null;
    if (blessing != null || junit != null || summaryFile != null) {
      try {
        gateConfig = gateConfig();
        if (blessing != null) {
          // First of all: whatever happens next, no earlier verdict is left to be obeyed.
          Blessing.prepare(blessing);
        }
      } catch (ConfigException e) {
        System.err.println("fairbeam evaluate: " + ErrorMessages.of(e));
        return Fairbeam.USAGE;
      }
    }
    EvaluationRun.Outcome outcome;
    try {
      outcome =
          EvaluationRun.run(
              new EvaluationRun.Settings(
                  config,
                  data,
                  output,
                  recordFormat,
                  policy,
                  modelPaths,
                  pipelineArgs,
                  noBaseline,
                  blessing));
    } catch (ConfigException | OutputRefusedException e) {
      System.err.println("fairbeam evaluate: " + ErrorMessages.of(e));
      return 2;
    } catch (IOException | EvaluationFailedException e) {
      if (System.getenv("FAIRBEAM_DEBUG") != null) {
        e.printStackTrace();
      }
      System.err.println("fairbeam evaluate: " + ErrorMessages.of(e));
      System.err.println("fairbeam evaluate: no result was written to " + output);
      return 1;
    }
    try (outcome) {
      return report(outcome, gateConfig);
    }
  }

  /** Prints the table, the counts and the verdict of a finished run, and writes the gate files. */
  private int report(EvaluationRun.Outcome outcome, EvalConfig gateConfig) {
    try {
      System.out.print(ReportTable.render(outcome.files()));
    } catch (IOException e) {
      System.err.println("fairbeam evaluate: cannot read back the result: " + e.getMessage());
      return 1;
    } catch (OutOfMemoryError e) {
      System.err.println(
          "fairbeam evaluate: the result is written to "
              + outcome.files()
              + ", but reading it back for the table: "
              + ErrorMessages.of(e));
      return 1;
    }
    var summary = outcome.summary();
    System.out.printf(
        "%nExamples evaluated: %,d of %,d records read%n",
        summary.getExamplesEvaluated(), summary.getRecordsRead());
    if (summary.getRecordsSkipped() > 0) {
      System.out.printf("Records skipped (--bad-records=skip): %,d%n", summary.getRecordsSkipped());
      for (Map.Entry<String, Long> e : summary.getRecordsSkippedByReasonMap().entrySet()) {
        System.out.printf("  %,10d  %s%n", e.getValue(), e.getKey());
      }
    }
    for (String warning : summary.getWarningsList()) {
      System.out.println("Warning: " + warning);
    }
    System.out.println("Results written to " + outcome.location());
    GateVerdict verdict;
    try {
      verdict =
          GateVerdict.of(
              EvalResultReader.validation(outcome.files()),
              SeriesNames.of(EvalResultReader.runSummary(outcome.files())));
      System.out.print(verdict.render());
      if (blessing != null) {
        System.out.println("Blessing written to " + Blessing.write(blessing, verdict.blessed()));
      }
      if (junit != null || summaryFile != null) {
        GateReport report = GateReport.read(outcome.files(), gateConfig, noBaseline);
        if (junit != null) {
          report.writeJUnit(junit);
          System.out.println("JUnit XML written to " + junit);
        }
        if (summaryFile != null) {
          report.writeMarkdown(summaryFile, outcome.location());
          System.out.println("Markdown summary appended to " + summaryFile);
        }
      }
    } catch (IOException e) {
      System.err.println("fairbeam evaluate: cannot write the verdict: " + ErrorMessages.of(e));
      return Fairbeam.FAILED;
    }
    return verdict.judged() && !verdict.blessed() ? Fairbeam.NOT_BLESSED : 0;
  }
}
