package io.fairbeam.predict;

/**
 * A model failed while the run was scoring (it could not be loaded on a worker, or its output does
 * not fit); unchecked because it surfaces inside the runner. The message says which model and why.
 */
public final class ModelFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A model failure described by {@code message}, which names the model. */
  public ModelFailedException(String message) {
    super(message);
  }

  /** As {@link #ModelFailedException(String)}, caused by {@code cause}. */
  public ModelFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
