package io.fairbeam.predict;

import org.apache.beam.sdk.annotations.Internal;

/** A model that cannot be loaded or does not fit the config; the message says why. */
@Internal
public final class ModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
