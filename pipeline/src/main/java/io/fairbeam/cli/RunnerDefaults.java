package io.fairbeam.cli;

import io.fairbeam.beam.FairbeamOptions;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Pipeline-option defaults Fairbeam's command line applies, by runner, unless the user set the
 * option. On the Direct Runner (the default runner) the per-element immutability and encodability
 * checks are turned off: they exist to catch mutation bugs in user DoFns, Fairbeam's DoFns are
 * covered by tests that run with the checks on ({@code TestPipeline}), and the checks re-encode
 * every per-slice accumulator several times; the files are read in as many groups as the runner has
 * worker threads, and {@code run()} returns while the pipeline runs (so the command line can report
 * progress). On Flink the per-element defensive copy is turned off for the same reason ({@code
 * --fasterCopy}). On every runner the AWS region is left for the AWS SDK to find when an S3 client
 * is built ({@code deferAwsRegion}).
 */
@Internal
public final class RunnerDefaults {
  private RunnerDefaults() {}

  /**
   * Sets the defaults on {@code options}, parsed from {@code args}; when models run ({@code
   * modelsRun}) the Direct Runner also gets one worker thread per core ({@code
   * --targetParallelism}), since TensorFlow already spreads each inference call over all cores and
   * more concurrent calls only contend (measured with scripts/bench-model on one core: 0.70 of the
   * plain TensorFlow loop with 3 threads, 0.93 to 1.05 with 1).
   */
  public static void apply(PipelineOptions options, List<String> args, boolean modelsRun) {
    deferAwsRegion(options, args);
    if (RunnerDefaults.isDirect(options)) {
      DirectOptions direct = options.as(DirectOptions.class);
      if (!given(args, "enforceImmutability")) {
        direct.setEnforceImmutability(false);
      }
      if (!given(args, "enforceEncodability")) {
        direct.setEnforceEncodability(false);
      }
      if (!given(args, "blockOnRun")) {
        // run() returns at once, so the launcher can report progress while it waits.
        direct.setBlockOnRun(false);
      }
      if (modelsRun && !given(args, "targetParallelism")) {
        direct.setTargetParallelism(Math.max(1, Runtime.getRuntime().availableProcessors()));
      }
      if (!given(args, "readGroups")) {
        options.as(FairbeamOptions.class).setReadGroups(Math.max(1, direct.getTargetParallelism()));
      }
    }
    if (options.getRunner() == FlinkRunner.class && !given(args, "fasterCopy")) {
      // Flink copies every element between chained operators unless told not to, for the same
      // reason as the Direct Runner's immutability check.
      options.as(FlinkPipelineOptions.class).setFasterCopy(true);
    }
  }

  /**
   * Leaves the AWS region unset unless the user gave one ({@code --awsRegion}). Beam's default for
   * it asks the AWS SDK's region chain whenever a pipeline is created or the filesystems are
   * configured, S3 or not, and off EC2 the chain's last step waits about 0.75 s for the
   * instance-metadata service to fail (measured with JFR on this machine: every pipeline paid it).
   * Unset, the SDK runs the same chain (environment, system property, profile, instance metadata)
   * when it builds an S3 client: only a run that reads or writes {@code s3://} pays for it.
   */
  static void deferAwsRegion(PipelineOptions options, List<String> args) {
    if (!given(args, "awsRegion")) {
      options.as(AwsOptions.class).setAwsRegion(null);
    }
  }

  /**
   * Whether {@code options} run on the Direct Runner. Compared by name: the job jar a Flink cluster
   * runs the program from has no Direct Runner, so its class cannot be named there.
   */
  static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getName().equals("org.apache.beam.runners.direct.DirectRunner");
  }

  /** Whether the user gave the option {@code --name} (with or without a value). */
  static boolean given(List<String> args, String name) {
    String option = "--" + name;
    return args.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
  }
}
