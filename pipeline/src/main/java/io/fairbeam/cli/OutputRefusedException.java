package io.fairbeam.cli;

/**
 * The output named on the command line is not Fairbeam's to write: it holds the user's own
 * files or an input of the run, it is not a directory, or another run is writing there. A usage
 * error (exit status 2), found before any data is read.
 */
final class OutputRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  OutputRefusedException(String message) {
    super(message);
  }
}
