package io.fairbeam.beam;

import java.util.ArrayList;
import java.util.List;

/**
 * Pipeline-option defaults Fairbeam applies unless the user sets them. On the Direct Runner
 * (the default runner) the per-element immutability and encodability checks are turned off:
 * they exist to catch mutation bugs in user DoFns, Fairbeam's DoFns are covered by tests that
 * run with the checks on ({@code TestPipeline}), and the checks re-encode every per-slice
 * accumulator several times. On Flink the per-element defensive copy is turned off for the same
 * reason ({@code --fasterCopy}).
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

  private static boolean isDirect(List<String> args) {
    return args.stream().noneMatch(a -> a.startsWith("--runner="))
        || args.stream().anyMatch(a -> a.equalsIgnoreCase("--runner=DirectRunner")
            || a.equalsIgnoreCase("--runner=direct"));
  }

  /** Whether {@code args} choose Beam's Flink runner. */
  public static boolean isFlink(List<String> args) {
    return args.stream().anyMatch(a -> a.equalsIgnoreCase("--runner=FlinkRunner")
        || a.equalsIgnoreCase("--runner=flink"));
  }

  /**
   * The number of file groups to read in parallel ({@link ReadAndEvaluate#withReadGroups}):
   * on the Direct Runner its worker threads ({@code --targetParallelism}, by default the number
   * of cores and at least 3), elsewhere {@link ReadAndEvaluate#DEFAULT_READ_GROUPS}.
   */
  public static int readGroups(List<String> args) {
    if (!isDirect(args)) {
      return ReadAndEvaluate.DEFAULT_READ_GROUPS;
    }
    for (String arg : args) {
      if (arg.startsWith("--targetParallelism=")) {
        return Math.max(1, Integer.parseInt(arg.substring("--targetParallelism=".length())));
      }
    }
    return Math.max(3, Runtime.getRuntime().availableProcessors());
  }

  /** {@code args} plus the defaults for options it does not set. */
  public static String[] apply(List<String> args) {
    return apply(args, false);
  }

  /**
   * {@code args} plus the defaults for options it does not set; when models run
   * ({@code modelsRun}) the Direct Runner also gets one worker thread per core
   * ({@code --targetParallelism}), since TensorFlow already spreads each inference call over all
   * cores and more concurrent calls only contend (measured with scripts/bench-model on one core:
   * 0.70 of the plain TensorFlow loop with 3 threads, 0.93 to 1.05 with 1).
   */
  public static String[] apply(List<String> args, boolean modelsRun) {
    List<String> result = new ArrayList<>(args);
    if (isDirect(args)) {
      addUnlessSet(result, "--enforceImmutability", "false");
      addUnlessSet(result, "--enforceEncodability", "false");
      if (modelsRun) {
        addUnlessSet(result, "--targetParallelism",
            String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors())));
      }
    }
    if (isFlink(args)) {
      // Flink copies every element between chained operators unless told not to, for the same
      // reason as the Direct Runner's immutability check.
      addUnlessSet(result, "--fasterCopy", "true");
    }
    return result.toArray(new String[0]);
  }

  private static void addUnlessSet(List<String> args, String option, String value) {
    if (args.stream().noneMatch(a -> a.equals(option) || a.startsWith(option + "="))) {
      args.add(option + "=" + value);
    }
  }
}
