package io.fairbeam.beam;

/** The input held no example that could be evaluated; no result is written. */
public final class EmptyInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An empty input, described by {@code message} (naming the data). */
  public EmptyInputException(String message) {
    super(message);
  }
}
