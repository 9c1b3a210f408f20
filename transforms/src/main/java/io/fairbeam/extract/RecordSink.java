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
   * file}, which starts at {@code byteOffset}, whose serialized bytes are {@code buffer[0, length)}
   * for TFRecord input (null otherwise; the buffer is reused for the next record). The index is -1
   * when the file is read in ranges and the record's range does not know it; the offset is -1 for
   * formats that do not give one (see {@link RecordLocation}).
   */
  void accept(String file, long recordIndex, long byteOffset, byte[] buffer, int length);

  /**
   * Reports a record that could not be decoded, saying why in {@code detail}; {@code buffer[0,
   * length)} holds its bytes when they are at hand (null otherwise). The index and offset are as
   * for {@link #accept}.
   */
  void undecodable(
      String file, long recordIndex, long byteOffset, byte[] buffer, int length, String detail);
}
