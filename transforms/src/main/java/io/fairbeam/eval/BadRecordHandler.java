package io.fairbeam.eval;

import com.google.protobuf.ByteString;
import io.fairbeam.extract.RecordLocation;
import io.fairbeam.proto.BadRecord;
import java.util.function.Consumer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Applies the {@link BadRecordPolicy} to a record that cannot be evaluated: under {@code FAIL} it
 * throws a {@link BadRecordException} naming the record and field; under {@code SKIP} it lets the
 * caller count the record and, when a dead-letter output was asked for, hands a {@link BadRecord}
 * for it to that output at once (so a file of bad records is never held in memory).
 */
@Internal
public final class BadRecordHandler {
  /** The source of records handed over as a PCollection rather than read from a file. */
  public static final String PCOLLECTION_SOURCE = "<PCollection>";

  private final BadRecordPolicy policy;
  private final Consumer<BadRecord> deadLetters;
  private byte[] currentRecord;
  private int currentLength;

  /**
   * Handles bad records under {@code policy}; skipped records go to {@code deadLetters} (null: they
   * are only counted).
   */
  public BadRecordHandler(BadRecordPolicy policy, Consumer<BadRecord> deadLetters) {
    this.policy = policy;
    this.deadLetters = deadLetters;
  }

  /**
   * Sets the serialized record whose fate is decided next, {@code buffer[0, length)} (null: its
   * bytes are not at hand), to go with its dead letter. The buffer is read only if the record is
   * rejected.
   */
  void current(byte[] buffer, int length) {
    this.currentRecord = buffer;
    this.currentLength = length;
  }

  /**
   * Reports record {@code recordIndex} of {@code source}, at {@code byteOffset} (record {@code
   * recordInBlock} of the Avro block there), as unusable for {@code reason} (see {@link
   * RecordLocation}); {@code detail} says which field and why.
   *
   * @throws BadRecordException under {@link BadRecordPolicy#FAIL}
   */
  void reject(
      String reason,
      String source,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      String detail) {
    String sentence =
        RecordLocation.sentence(
            RecordLocation.describe(source, recordIndex, byteOffset, recordInBlock), detail);
    if (policy == BadRecordPolicy.FAIL) {
      throw new BadRecordException(reason, sentence);
    }
    if (deadLetters != null) {
      BadRecord.Builder record =
          BadRecord.newBuilder()
              .setSource(source)
              .setRecordIndex(recordIndex)
              .setReason(reason)
              .setDetail(sentence);
      if (byteOffset >= 0) {
        record.setByteOffset(byteOffset);
      }
      if (recordInBlock >= 0) {
        record.setRecordInBlock(recordInBlock);
      }
      if (currentRecord != null) {
        record.setRecord(ByteString.copyFrom(currentRecord, 0, currentLength));
      }
      deadLetters.accept(record.build());
    }
  }
}
