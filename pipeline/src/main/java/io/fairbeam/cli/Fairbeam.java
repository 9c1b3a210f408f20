package io.fairbeam.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fairbeam} command: fairness evaluation of model predictions on Apache Beam. */
@Command(
    name = "fairbeam",
    mixinStandardHelpOptions = true,
    version = "fairbeam 0.1.0",
    description = {
      "Evaluates a model's predictions for fairness, per slice and at decision thresholds,",
      "with TFMA's EvalConfig and TFMA's output files, on any Apache Beam runner."
    },
    subcommands = {EvaluateCommand.class, ConvertCommand.class})
public final class Fairbeam implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: give 'evaluate' or 'convert' (see --help)");
  }

  /** Exit status of an internal error: a bug, reported with the file that holds its trace. */
  static final int INTERNAL_ERROR = 3;

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return new CommandLine(new Fairbeam())
        .setExecutionExceptionHandler((e, commandLine, parsed) -> failed(e, commandLine))
        .execute(args);
  }

  /**
   * What a command that threw prints and returns: one line named after the command ({@code fairbeam
   * evaluate: ...}), exit 1 for a failure the user caused, {@link #INTERNAL_ERROR} for a bug.
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
