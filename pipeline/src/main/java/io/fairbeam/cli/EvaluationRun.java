package io.fairbeam.cli;

import io.fairbeam.beam.FairnessEval;
import io.fairbeam.beam.ReadAndEvaluate;
import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.gate.ThresholdIndex;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.io.RemoteResultDirectory;
import io.fairbeam.io.ResultDirectory;
import io.fairbeam.io.ResultOutput;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One {@code fairbeam evaluate} run: loads the config, checks the output and the pipeline options
 * before any data is read, builds the pipeline from Fairbeam's public transforms ({@link
 * FairnessEval#readAndEvaluate} then {@link FairnessEval#write}, which check the config, models and
 * input as they are applied), and runs it on the chosen Beam runner (the Direct Runner unless
 * {@code --runner} says otherwise). The writer moves the result into place only when it is
 * complete.
 */
final class EvaluationRun {
  /** What the user asked for. */
  record Settings(
      Path config,
      String data,
      String output,
      RecordFormat format,
      BadRecordPolicy badRecordPolicy,
      Map<String, String> modelPaths,
      List<String> pipelineArgs,
      boolean withoutBaseline,
      Path blessing) {}

  /**
   * Where the result went ({@code location}, as given), a local directory holding its files ({@code
   * files}: the result itself, or a copy of a remote one, removed on {@link #close}), and what was
   * read.
   */
  record Outcome(String location, Path files, RunSummary summary, boolean copied)
      implements AutoCloseable {
    @Override
    public void close() {
      if (copied) {
        try {
          ResultDirectory.deleteRecursively(files);
        } catch (IOException e) {
          System.err.println(
              "fairbeam: could not remove the local copy " + files + ": " + e.getMessage());
        }
      }
    }
  }

  private EvaluationRun() {}

  /**
   * Runs the evaluation.
   *
   * @throws ConfigException for a bad config, pipeline option or model (exit status 2)
   * @throws OutputRefusedException for an output that is not Fairbeam's to replace (2)
   * @throws IOException for input that cannot be read (1)
   * @throws EvaluationFailedException when the pipeline fails (1)
   */
  /**
   * Checks the flags that name parts of the config, so that their errors name the flags (the
   * library checks the same in its own terms): each {@code --model NAME=PATH} names a {@code
   * model_specs}, {@code --model PATH} is given for a config of one, and change thresholds have a
   * baseline or {@code --no-baseline}.
   */
  private static void checkFlagsAgainstConfig(Settings settings, EvalConfigLoader.Loaded loaded) {
    EvalConfig config = loaded.config();
    List<String> names = config.getModelSpecsList().stream().map(ModelSpec::getName).toList();
    for (Map.Entry<String, String> model : settings.modelPaths().entrySet()) {
      if (model.getKey().isEmpty() && names.size() > 1) {
        throw new ConfigException(
            "--model "
                + model.getValue()
                + ": the config has several model_specs; give --model NAME=PATH for each of "
                + names);
      }
      if (!model.getKey().isEmpty() && !names.contains(model.getKey())) {
        throw new ConfigException(
            "--model "
                + model.getKey()
                + "="
                + model.getValue()
                + ": no model_specs is named \""
                + model.getKey()
                + "\"; names: "
                + names);
      }
    }
    if (!settings.withoutBaseline()
        && ThresholdIndex.hasChangeThreshold(config)
        && config.getModelSpecsList().stream().noneMatch(ModelSpec::getIsBaseline)) {
      throw new ConfigException(
          loaded.locations().describe("metrics_specs")
              + ": change thresholds judge the difference from a baseline model, but no"
              + " model_specs has is_baseline: true; add the baseline, or, for a first run"
              + " with no baseline yet, evaluate without one (--no-baseline), which drops"
              + " change thresholds as TFX's rubber stamp does");
    }
  }

  static Outcome run(Settings settings) throws IOException, EvaluationFailedException {
    EvalConfigLoader.Loaded loaded = EvalConfigLoader.load(settings.config());
    checkFlagsAgainstConfig(settings, loaded);
    boolean modelsRun = !settings.modelPaths().isEmpty();
    List<String> args = settings.pipelineArgs();
    PipelineOptions options = PipelineArgs.parse(args);
    checkOutputReachable(settings, options);
    checkParallelism(options);
    RunnerDefaults.apply(options, args, modelsRun);
    JobFiles.apply(options, args, modelsRun);
    FileSystems.setDefaultPipelineOptions(options);
    PipelineArgs.checkFilesystem("--data", settings.data());
    PipelineArgs.checkFilesystem("--output", settings.output());

    List<MatchResult.Metadata> files = matchInput(settings.data());
    String output = settings.output();
    boolean remote = RemoteResultDirectory.isRemote(output);
    try {
      // Checked here as well as by the writer, so that an output in the way is reported
      // before anything reads the data, and the config file counts as an input.
      ResultOutput.prepare(output, inputs(settings, files));
      ReadAndEvaluate evaluate =
          FairnessEval.readAndEvaluate(loaded)
              .from(settings.data())
              .withBadRecordPolicy(settings.badRecordPolicy());
      if (settings.withoutBaseline()) {
        evaluate = evaluate.withoutBaseline();
      }
      if (settings.format() != null) {
        evaluate = evaluate.withFormat(settings.format());
      }
      for (Map.Entry<String, String> model : settings.modelPaths().entrySet()) {
        evaluate = evaluate.withModel(model.getKey(), model.getValue());
      }
      Pipeline pipeline = Pipeline.create(options);
      try {
        pipeline.apply("Evaluate", evaluate).apply("Write", FairnessEval.write().to(output));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      PipelineResult.State state;
      try {
        state = ProgressReport.waitUntilFinish(pipeline.run(), System.err);
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        if (!ErrorMessages.isUserError(e)) {
          throw e;
        }
        throw new EvaluationFailedException(ErrorMessages.writing(e, "--output " + output), e);
      }
      if (state != PipelineResult.State.DONE) {
        throw new EvaluationFailedException("the pipeline ended in state " + state, null);
      }
      if (remote) {
        Path copy = Files.createTempDirectory("fairbeam-result-");
        try {
          RemoteResultDirectory.download(output, copy);
          return new Outcome(output, copy, EvalResultReader.runSummary(copy), true);
        } catch (IOException | RuntimeException e) {
          ResultDirectory.deleteRecursively(copy);
          throw e;
        }
      }
      Path written = Path.of(output).toAbsolutePath().normalize();
      return new Outcome(written.toString(), written, EvalResultReader.runSummary(written), false);
    } finally {
      ResultOutput.release(output);
    }
  }

  /**
   * The result is written by the workers and, on a local path, moved into place beside {@code
   * --output}, so a local output must be a path that launcher and workers share: a local disk
   * (Direct Runner, embedded or local Flink) or a volume mounted at the same path everywhere.
   * Dataflow's workers share no disk with the launcher, so there data and output must be URLs.
   */
  private static void checkOutputReachable(Settings settings, PipelineOptions options) {
    if (!JobFiles.submitsToDataflow(options)) {
      return;
    }
    if (!RemoteResultDirectory.isRemote(settings.data())) {
      throw new ConfigException(
          "--runner=DataflowRunner: Dataflow's workers cannot read the launcher's disk;"
              + " give --data as a Cloud Storage URL, such as gs://BUCKET/eval/part-*");
    }
    if (!RemoteResultDirectory.isRemote(settings.output())) {
      throw new ConfigException(
          "--runner=DataflowRunner: Dataflow's workers cannot write to the launcher's disk;"
              + " give --output as a Cloud Storage URL, such as gs://BUCKET/results/NAME");
    }
  }

  /**
   * Parallelism options out of range would fail deep inside the runner with a bare exception; they
   * are usage errors, named here. (The job jar a cluster runs has no Direct Runner, so its options
   * are looked at only when it is the runner.)
   */
  private static void checkParallelism(PipelineOptions options) {
    if (RunnerDefaults.isDirect(options)) {
      int threads = options.as(DirectOptions.class).getTargetParallelism();
      if (threads < 1) {
        throw new ConfigException(
            "--targetParallelism="
                + threads
                + ": the Direct Runner needs"
                + " at least 1 worker thread");
      }
    }
    if (options.getRunner() == FlinkRunner.class) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      for (Map.Entry<String, Integer> option :
          Map.of(
                  "--parallelism", flink.getParallelism(),
                  "--maxParallelism", flink.getMaxParallelism())
              .entrySet()) {
        if (option.getValue() == 0 || option.getValue() < -1) {
          throw new ConfigException(
              option.getKey()
                  + "="
                  + option.getValue()
                  + ": must be at"
                  + " least 1 (or -1 for the cluster's default)");
        }
      }
    }
  }

  /** The files the run reads (data, config, models), which the output must not hold. */
  private static List<String> inputs(Settings settings, List<MatchResult.Metadata> files) {
    List<String> inputs = new ArrayList<>();
    files.forEach(file -> inputs.add(file.resourceId().toString()));
    inputs.add(settings.config().toString());
    inputs.addAll(settings.modelPaths().values());
    return inputs;
  }

  private static List<MatchResult.Metadata> matchInput(String pattern) throws IOException {
    MatchResult match = FileSystems.match(pattern);
    if (match.status() == MatchResult.Status.ERROR) {
      try {
        match.metadata();
      } catch (IOException e) {
        // The filesystem could not be asked (unreachable, no permission): not "no file".
        throw new IOException("--data " + pattern + ": cannot list: " + e.getMessage(), e);
      }
    }
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new IOException("--data " + pattern + ": no file matches");
    }
    return match.metadata();
  }
}
