package io.fairbeam.extract;

import java.io.IOException;

/**
 * A TFRecord file is damaged: a truncated record, a length whose checksum fails, or data whose
 * checksum fails. Only the last is {@link #recoverable()}: the framing is intact, so reading can
 * go on with the next record; after the others the rest of the file cannot be trusted.
 */
public final class TFRecordCorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean recoverable;

  public TFRecordCorruptionException(String message, boolean recoverable) {
    super(message);
    this.recoverable = recoverable;
  }

  public boolean recoverable() {
    return recoverable;
  }
}
