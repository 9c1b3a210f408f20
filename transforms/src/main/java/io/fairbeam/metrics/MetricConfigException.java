package io.fairbeam.metrics;

/** A metric's configuration is invalid: unknown class, bad JSON, unknown or mistyped argument. */
public final class MetricConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MetricConfigException(String message) {
    super(message);
  }
}
