package io.fairbeam.eval;

/**
 * A record cannot be evaluated: it is corrupt, or lacks a usable label, prediction or weight. The
 * message names the file, the record index and the field; {@link #reason()} is the short category
 * under which {@code --bad-records=skip} counts it.
 */
public final class BadRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /** A bad record: {@code reason} is its category, {@code message} the whole sentence. */
  public BadRecordException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The category under which the skip policy counts such records. */
  public String reason() {
    return reason;
  }
}
