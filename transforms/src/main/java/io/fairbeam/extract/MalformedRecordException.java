package io.fairbeam.extract;

import org.apache.beam.sdk.annotations.Internal;

/**
 * A record could not be decoded (bad protobuf wire format, bad CSV row, bad Avro value). The caller
 * adds the file and record index to the message.
 */
@Internal
public final class MalformedRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(message);
  }
}
