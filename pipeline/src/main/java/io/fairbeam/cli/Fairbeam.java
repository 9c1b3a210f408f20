package io.fairbeam.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fairbeam} command: fairness evaluation of model predictions on Apache Beam. */
@Command(
    name = "fairbeam",
    mixinStandardHelpOptions = true,
    versionProvider = Fairbeam.Version.class,
    description = {
      "Evaluates a model's predictions for fairness, per slice and at decision",
      "thresholds, with TFMA's EvalConfig and TFMA's output files, on any Apache Beam",
      "runner, and writes a report (report.html) that opens in any browser."
    },
    subcommands = {EvaluateCommand.class, ConvertCommand.class, ReportCommand.class})
public final class Fairbeam implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** {@code fairbeam --version}: the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"fairbeam " + io.fairbeam.beam.FairnessEval.VERSION_NUMBER};
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: give 'evaluate', 'convert' or 'report' (see --help)");
  }

  /** Exit status of a run that failed: bad or unreadable input, a failing model, a full disk. */
  static final int FAILED = 1;

  /** Exit status of a bad config, bad usage, or an output that is not Fairbeam's to replace. */
  static final int USAGE = 2;

  /** Exit status of a model that was evaluated and is not blessed (its result is written). */
  static final int NOT_BLESSED = 3;

  /**
   * Exit status of an internal error: a bug, reported with the file that holds its trace. The run
   * failed, so it shares {@link #FAILED}'s status (a gate must never read a bug as a verdict).
   */
  static final int INTERNAL_ERROR = FAILED;

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return new CommandLine(new Fairbeam())
        .setExecutionExceptionHandler((e, commandLine, parsed) -> failed(e, commandLine))
        .execute(args);
  }

  /**
   * What a command that threw prints and returns: one line named after the command ({@code fairbeam
   * evaluate: ...}), exit 1 for a failure, whether the user caused it or it is a bug ({@link
   * #INTERNAL_ERROR}, whose message names the file with the trace).
   */
  static int failed(Exception e, CommandLine commandLine) {
    commandLine
        .getErr()
        .println(commandLine.getCommandSpec().qualifiedName() + ": " + ErrorMessages.of(e));
    return ErrorMessages.isUserError(e) ? 1 : INTERNAL_ERROR;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
