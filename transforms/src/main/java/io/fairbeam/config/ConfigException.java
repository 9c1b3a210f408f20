package io.fairbeam.config;

/**
 * An EvalConfig cannot be run: a syntax error, an unknown field or metric, or a feature Fairbeam
 * does not support. The message names the file, the line and field where known, and what is
 * accepted. Raised before any data is read: by the loader, and by Fairbeam's transforms when a
 * pipeline is built, so like Beam's own argument checks it is an {@link IllegalArgumentException}.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A config error described by {@code message}, which names the line and field. */
  public ConfigException(String message) {
    super(message);
  }

  /** As {@link #ConfigException(String)}, caused by {@code cause}. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
