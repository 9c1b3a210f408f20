package io.fairbeam.io;

/**
 * The output directory is not Fairbeam's to write: it holds the user's own files or an input of the
 * evaluation, it is not a directory, or another run is writing there. Raised when the pipeline is
 * built, before any data is read; the command line reports it as a usage error (exit status 2).
 */
public final class OutputRefusedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  OutputRefusedException(String message) {
    super(message);
  }
}
