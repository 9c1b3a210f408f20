package io.fairbeam.cli;

/**
 * The pipeline failed (bad data, unreadable file, empty input). The message is the root cause,
 * which names the file, record and field.
 */
final class EvaluationFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  EvaluationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
