package io.fairbeam.constraint;

/** A constraint that cannot be read: the message says what, {@link #position()} where. */
public final class ConstraintSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int position;

  ConstraintSyntaxException(String message, int position) {
    super(message);
    this.position = position;
  }

  /** The 0-based position in the constraint string. */
  public int position() {
    return position;
  }
}
