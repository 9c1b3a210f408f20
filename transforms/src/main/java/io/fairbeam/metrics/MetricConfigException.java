package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/** A metric's configuration is invalid: unknown class, bad JSON, unknown or mistyped argument. */
@Internal
public final class MetricConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MetricConfigException(String message) {
    super(message);
  }
}
