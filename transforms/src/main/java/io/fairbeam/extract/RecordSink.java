package io.fairbeam.extract;

import org.apache.beam.sdk.annotations.Internal;

/**
 * Where a {@link RecordSource} delivers records: each is decoded into {@link #target()} and then
 * handed over with {@link #accept}, or reported with {@link #undecodable}.
 */
@Internal
public interface RecordSink {
  /** The example the next record is decoded into. */
  ExampleFeatures target();

  /**
   * Takes the record just decoded into {@link #target()}: record {@code recordIndex} of {@code
   * file}, found at {@code byteOffset}, whose serialized bytes are {@code buffer[0, length)} for
   * TFRecord input (null otherwise; the buffer is reused for the next record). The index is -1 when
   * the file is read in ranges and the record's range does not know it. The offset is where the
   * record starts (TFRecord, CSV) or, for Avro, where its block starts, and then {@code
   * recordInBlock} is its index in the block (-1 for the other formats); -1 where the input has no
   * offsets (see {@link RecordLocation}).
   */
  void accept(
      String file,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      byte[] buffer,
      int length);

  /**
   * Reports a record that could not be decoded, saying why in {@code detail}; {@code buffer[0,
   * length)} holds its bytes when they are at hand (null otherwise). The index and offsets are as
   * for {@link #accept}.
   */
  void undecodable(
      String file,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      byte[] buffer,
      int length,
      String detail);
}
