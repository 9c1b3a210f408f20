package io.fairbeam.extract;

import java.io.IOException;

/**
 * A TFRecord file is damaged: a truncated record, a length whose checksum fails, or data whose
 * checksum fails. Only the last is {@link #recoverable()}: the framing is intact, so reading can go
 * on with the next record; after the others the rest of the file cannot be trusted.
 */
final class TFRecordCorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean recoverable;
  private final String detail;

  /**
   * @param location the file and record, e.g. {@code "data.tfrecord: record 3"} (see {@link
   *     RecordLocation})
   * @param detail what is wrong there, e.g. {@code "(byte offset 21): data checksum mismatch"}
   */
  public TFRecordCorruptionException(String location, String detail, boolean recoverable) {
    super(RecordLocation.sentence(location, detail));
    this.detail = detail;
    this.recoverable = recoverable;
  }

  /** What is wrong, without the file and record (for reports that name those themselves). */
  public String detail() {
    return detail;
  }

  public boolean recoverable() {
    return recoverable;
  }
}
