package io.fairbeam.beam;

import io.fairbeam.config.ConfigLocations;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.config.TfmaConfigView;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.ConfidenceIntervals;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.ModelPlan;
import io.fairbeam.eval.SliceMetricsComputer;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.proto.ClassNames;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.EvalRun;
import java.util.Locale;

/**
 * Fairbeam's Beam transforms: fairness evaluation of a model's predictions under TFMA's {@code
 * EvalConfig}, with TFMA's results.
 *
 * <pre>{@code
 * EvalConfig config = EvalConfigLoader.load(Path.of("fairness.pbtxt")).config();
 * // Records the pipeline already holds (serialized tf.Example):
 * EvalResult result = records.apply(FairnessEval.evaluate(config));
 * // Or files, read and evaluated in one fused step (the fast path):
 * EvalResult fromFiles = pipeline.apply(FairnessEval.readAndEvaluate(config).from("data/*.gz"));
 * result.apply(FairnessEval.write().to("out/eval"));
 * }</pre>
 *
 * <p>Each transform is an immutable value: {@code with…} methods return a changed copy, and the
 * config, the models and the input are checked when the transform is applied, before any data is
 * read. A config read by {@link EvalConfigLoader} (the {@code Loaded} overloads) lets errors name
 * its file and line.
 */
public final class FairnessEval {
  /** The version this build of Fairbeam carries (the Maven project's): {@code 0.1.0}. */
  public static final String VERSION_NUMBER = Version.NUMBER;

  /** Fairbeam's version as recorded in {@code eval_config.json}: {@code fairbeam-0.1.0}. */
  public static final String VERSION = "fairbeam-" + VERSION_NUMBER;

  /** The namespace of Fairbeam's counters ({@code records_read}, {@code files_read}). */
  public static final String COUNTERS = "fairbeam";

  /**
   * The counter of records read, evaluated or skipped, by the evaluating steps: the runner's UI
   * shows how the reading spread, and the command line reports progress from it.
   */
  public static final String RECORDS_READ = "records_read";

  private FairnessEval() {}

  /**
   * Evaluates a {@code PCollection<byte[]>} of serialized {@code tf.Example} under {@code config}.
   */
  public static EvaluateRecords evaluate(EvalConfig config) {
    return evaluate(new EvalConfigLoader.Loaded(config, ConfigLocations.none()));
  }

  /** As {@link #evaluate(EvalConfig)}, with errors that name the config's file and line. */
  public static EvaluateRecords evaluate(EvalConfigLoader.Loaded config) {
    return new EvaluateRecords(EvaluationSettings.of(config));
  }

  /** Reads and evaluates files under {@code config}; give them with {@code from(pattern)}. */
  public static ReadAndEvaluate readAndEvaluate(EvalConfig config) {
    return readAndEvaluate(new EvalConfigLoader.Loaded(config, ConfigLocations.none()));
  }

  /** As {@link #readAndEvaluate(EvalConfig)}, with errors that name the config's file and line. */
  public static ReadAndEvaluate readAndEvaluate(EvalConfigLoader.Loaded config) {
    return ReadAndEvaluate.of(EvaluationSettings.of(config));
  }

  /** Writes an {@link EvalResult} in TFMA's layout; give the directory with {@code to(dir)}. */
  public static WriteEvalResult write() {
    return WriteEvalResult.create();
  }

  /** What {@code eval_config.json} holds for an evaluation of {@code dataLocation}. */
  static EvalRun evalRun(EvalPlan plan, String dataLocation, RecordFormat format) {
    return EvalRun.newBuilder()
        .setEvalConfig(TfmaConfigView.of(plan.config()))
        .setVersion(VERSION)
        .setDataLocation(dataLocation)
        .setFileFormat(format.tfmaName())
        .build();
  }

  /**
   * The part of the {@code RunSummary} known before the run; {@code fromPCollection}: the records
   * come from a PCollection, not files (so they are resampled by their content).
   */
  static RunSummary summaryTemplate(
      EvalPlan plan,
      BadRecordPolicy policy,
      String dataLocation,
      RecordFormat format,
      boolean fromPCollection) {
    RunSummary.Builder summary =
        RunSummary.newBuilder()
            .setBadRecordsPolicy(policy.name().toLowerCase(Locale.ROOT))
            .setDataLocation(dataLocation)
            .setFileFormat(format.tfmaName())
            .setDecisionIntervals(
                plan.decisions().settings().toBuilder()
                    .addAllRates(new SliceMetricsComputer(plan).rateKeys()));
    for (ModelPlan model : plan.models()) {
      if (!model.classNames().isEmpty()) {
        summary.putClassNames(
            model.metricModelName(),
            ClassNames.newBuilder().addAllNames(model.classNames()).build());
      }
    }
    ConfidenceIntervals intervals = plan.confidenceIntervals();
    if (intervals != null) {
      summary
          .getConfidenceIntervalsBuilder()
          .setMethod(intervals.method().name())
          .setSamples(intervals.samples())
          .setLevel(intervals.level())
          .setSeed(intervals.seed())
          .setKeyedBy(
              intervals.keyedById()
                  ? "example id " + intervals.exampleIdKey()
                  : fromPCollection ? "record content" : "file name and position");
    }
    return summary.build();
  }
}
