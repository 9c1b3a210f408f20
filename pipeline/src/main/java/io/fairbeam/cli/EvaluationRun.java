package io.fairbeam.cli;

import io.fairbeam.beam.FairnessEvaluation;
import io.fairbeam.beam.RunnerDefaults;
import io.fairbeam.beam.WriteEvalResult;
import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.ModelPlan;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.EvalRun;
import io.fairbeam.util.ExceptionText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * One {@code fairbeam evaluate} run: checks the config and the input before any data is read,
 * builds the pipeline (read ► extract ► predict ► slice ► aggregate ► derive ► write), runs it on the
 * chosen Beam runner (the Direct Runner unless {@code --runner} says otherwise), and moves the
 * result into place only when the pipeline succeeded.
 */
final class EvaluationRun {
  /** Fairbeam's version, recorded in {@code eval_config.json}. */
  static final String VERSION = "fairbeam-0.1.0";

  /** What the user asked for. */
  record Settings(
      Path config,
      String data,
      Path output,
      RecordFormat format,
      BadRecordPolicy badRecordPolicy,
      Map<String, String> modelPaths,
      List<String> pipelineArgs) {}

  /** Where the result went and what was read. */
  record Outcome(Path output, RunSummary summary) {}

  private EvaluationRun() {}

  static Outcome run(Settings settings)
      throws ConfigException, IOException, EvaluationFailedException, OutputRefusedException {
    EvalConfigLoader.Loaded loaded = EvalConfigLoader.load(settings.config());
    EvalPlan plan = EvalPlan.create(loaded.config(), loaded.locations(),
        settings.badRecordPolicy(), settings.modelPaths());

    checkOutputReachable(settings);
    List<String> pipelineArgs = JobFiles.apply(
        List.of(RunnerDefaults.apply(settings.pipelineArgs(), plan.hasInference())),
        plan.hasInference());
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(pipelineArgs.toArray(new String[0]))
          .withValidation().create();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(optionError(pipelineArgs, e));
    }
    checkParallelism(options);
    FileSystems.setDefaultPipelineOptions(options);

    List<MatchResult.Metadata> files = matchInput(settings.data());
    RecordFormat format = settings.format() != null
        ? settings.format() : RecordFormat.fromPattern(settings.data());
    if (plan.needsSerializedExamples() && format != RecordFormat.TFRECORD) {
      throw new ConfigException("a model takes serialized tf.Example records, so --data must be"
          + " TFRecord; convert " + format.tfmaName() + " input with `fairbeam convert`");
    }

    ResultDirectory directory = ResultDirectory.prepare(settings.output(),
        inputPaths(settings, files));
    try {
      CsvSchema csvSchema = format == RecordFormat.CSV ? inferCsvSchema(files, plan) : null;
      if (format != RecordFormat.CSV) {
        ModelInputCheck.againstFirstRecord(plan, files.get(0), format);
      }
      EvalRun evalRun = EvalRun.newBuilder()
          .setEvalConfig(plan.config())
          .setVersion(VERSION)
          .setDataLocation(settings.data())
          .setFileFormat(format.tfmaName())
          .build();
      RunSummary template = RunSummary.newBuilder()
          .setBadRecordsPolicy(settings.badRecordPolicy().name().toLowerCase(Locale.ROOT))
          .setDataLocation(settings.data())
          .setFileFormat(format.tfmaName())
          .build();
      Pipeline pipeline = Pipeline.create(options);
      pipeline
          .apply("Evaluate", FairnessEvaluation.of(plan).from(settings.data()).withFormat(format)
              .withCsvSchema(csvSchema)
              .withReadGroups(RunnerDefaults.readGroups(pipelineArgs)))
          .apply("Write", new WriteEvalResult(plan, directory.temporary().toString(), evalRun,
              template));
      PipelineResult.State state;
      try {
        state = pipeline.run().waitUntilFinish();
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        if (!ErrorMessages.isUserError(e)) {
          throw e;
        }
        throw new EvaluationFailedException(
            ErrorMessages.writing(e, "--output " + settings.output()), e);
      }
      if (state != PipelineResult.State.DONE) {
        throw new EvaluationFailedException("the pipeline ended in state " + state, null);
      }
      RunSummary summary = EvalResultReader.runSummary(directory.temporary());
      directory.commit();
      return new Outcome(directory.output(), summary);
    } catch (EvaluationFailedException | ConfigException | IOException | RuntimeException
        | Error e) {
      directory.abandon();
      throw e;
    }
  }

  /**
   * The result is written by the workers into a directory beside {@code --output} and committed
   * by the launcher, so the output must be a path that launcher and workers share: a local disk
   * (Direct Runner, embedded or local Flink) or a volume mounted at the same path everywhere.
   * Object stores and Dataflow's workers are refused before anything runs.
   */
  private static void checkOutputReachable(Settings settings) throws ConfigException {
    String output = settings.output().toString();
    if (output.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
      throw new ConfigException("--output " + output + ": results can only be written to a"
          + " file-system path (local, or a volume mounted at the same path on every worker);"
          + " object stores such as gs:// are not supported yet");
    }
    if (settings.pipelineArgs().stream().anyMatch(a -> a.equalsIgnoreCase("--runner=DataflowRunner")
        || a.equalsIgnoreCase("--runner=dataflow"))) {
      throw new ConfigException("--runner=DataflowRunner: Dataflow's workers cannot write to the"
          + " launcher's --output directory, and results on gs:// are not supported yet");
    }
  }

  /** Beam's message for bad pipeline options, with the option at fault when one alone fails. */
  private static String optionError(List<String> args, IllegalArgumentException failure) {
    for (String arg : args) {
      try {
        PipelineOptionsFactory.fromArgs(arg).create();
      } catch (IllegalArgumentException e) {
        return "pipeline option " + arg + ": " + ExceptionText.describe(e);
      }
    }
    return "pipeline options: " + ExceptionText.describe(failure);
  }

  /**
   * Parallelism options out of range would fail deep inside the runner with a bare exception;
   * they are usage errors, named here. (The job jar a cluster runs has no Direct Runner, so its
   * options are looked at only when it is the runner.)
   */
  private static void checkParallelism(PipelineOptions options) throws ConfigException {
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("DirectRunner")) {
      int threads = options.as(DirectOptions.class).getTargetParallelism();
      if (threads < 1) {
        throw new ConfigException("--targetParallelism=" + threads + ": the Direct Runner needs"
            + " at least 1 worker thread");
      }
    }
    if (runner.equals("FlinkRunner")) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      for (Map.Entry<String, Integer> option : Map.of(
          "--parallelism", flink.getParallelism(),
          "--maxParallelism", flink.getMaxParallelism()).entrySet()) {
        if (option.getValue() == 0 || option.getValue() < -1) {
          throw new ConfigException(option.getKey() + "=" + option.getValue() + ": must be at"
              + " least 1 (or -1 for the cluster's default)");
        }
      }
    }
  }

  /**
   * The local files the run reads (data, config, models), which the output must not hold.
   * Inputs on other file systems cannot be inside a local output.
   */
  private static List<Path> inputPaths(Settings settings, List<MatchResult.Metadata> files) {
    List<Path> inputs = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      if (file.resourceId().getScheme().equals("file")) {
        inputs.add(Path.of(file.resourceId().toString()));
      }
    }
    inputs.add(settings.config());
    for (String model : settings.modelPaths().values()) {
      inputs.add(Path.of(model));
    }
    return inputs;
  }

  private static List<MatchResult.Metadata> matchInput(String pattern) throws IOException {
    MatchResult match = FileSystems.match(pattern);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new IOException("--data " + pattern + ": no file matches");
    }
    return match.metadata();
  }

  /** Types the CSV columns from all input files, and checks the required columns exist. */
  private static CsvSchema inferCsvSchema(List<MatchResult.Metadata> files, EvalPlan plan)
      throws IOException, ConfigException {
    List<CsvSchema.Source> sources = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      sources.add(new CsvSchema.Source() {
        @Override
        public String name() {
          return file.resourceId().toString();
        }

        @Override
        public InputStream open() throws IOException {
          return Channels.newInputStream(FileSystems.open(file.resourceId()));
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
    CsvSchema schema = CsvSchema.infer(sources, plan.features().names(), required);
    for (String column : required) {
      if (!schema.columns().contains(column)) {
        throw new IOException(sources.get(0).name() + ": CSV has no column '" + column
            + "'; columns: " + schema.columns());
      }
    }
    ModelInputCheck.against(plan, Set.copyOf(schema.columns()), sources.get(0).name()
        + " (CSV header)");
    return schema;
  }
}
