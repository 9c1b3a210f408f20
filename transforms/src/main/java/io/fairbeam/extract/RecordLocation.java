package io.fairbeam.extract;

import org.apache.beam.sdk.annotations.Internal;

/**
 * How messages name a record: by its index in its file ({@code "data.csv: record 3"}), or, when a
 * file is read in ranges and a range after the first does not know its records' indexes, by the
 * byte offset where the record starts ({@code "data.tfrecord: the record at byte offset 4096"}) or,
 * for Avro, by its place in a block ({@code "data.avro: record 7 of the block at byte offset
 * 65602"}).
 */
@Internal
public final class RecordLocation {
  private RecordLocation() {}

  /**
   * Names record {@code recordIndex} of {@code source}, or, if the index is -1, the record at
   * {@code byteOffset}.
   */
  public static String describe(String source, long recordIndex, long byteOffset) {
    return describe(source, recordIndex, byteOffset, -1);
  }

  /**
   * Names record {@code recordIndex} of {@code source}, or, if the index is -1, record {@code
   * recordInBlock} of the block at {@code byteOffset} (Avro) or, if that is -1 too, the record at
   * {@code byteOffset}.
   */
  public static String describe(
      String source, long recordIndex, long byteOffset, long recordInBlock) {
    if (recordIndex >= 0) {
      return source + ": record " + recordIndex;
    }
    return recordInBlock >= 0
        ? source + ": record " + recordInBlock + " of the block at byte offset " + byteOffset
        : source + ": the record at byte offset " + byteOffset;
  }

  /**
   * A sentence from a record's {@link #describe location} and what is wrong with it: a detail in
   * parentheses ({@code "(byte offset 21): ..."}) follows the location directly.
   */
  public static String sentence(String location, String detail) {
    return location + (detail.startsWith("(") ? " " : ": ") + detail;
  }
}
