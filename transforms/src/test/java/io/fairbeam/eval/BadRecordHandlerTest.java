package io.fairbeam.eval;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.fairbeam.proto.BadRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** {@link BadRecordHandler} alone: fail names the record; skip sends dead letters, if asked. */
public class BadRecordHandlerTest {
  @Test
  public void failThrowsASentenceNamingTheRecord() {
    BadRecordHandler handler = new BadRecordHandler(BadRecordPolicy.FAIL, null);
    BadRecordException e =
        assertThrows(
            BadRecordException.class,
            () ->
                handler.reject(
                    "label 'y' missing", "a.csv", 7, -1, -1, "field 'y' (label_key) is missing"));
    assertEquals("label 'y' missing", e.reason());
    assertEquals("a.csv: record 7: field 'y' (label_key) is missing", e.sentence());
    // A library user is told the Beam call that skips such records.
    assertThat(
        e.getMessage(), containsString("is missing (withBadRecordPolicy(BadRecordPolicy.SKIP)"));
  }

  @Test
  public void skipSendsADeadLetterWithTheRecordWhenGiven() {
    List<BadRecord> letters = new ArrayList<>();
    BadRecordHandler handler = new BadRecordHandler(BadRecordPolicy.SKIP, letters::add);
    handler.reject("undecodable record", "a.tfrecord", 3, 40, -1, "not a tf.Example");
    handler.current(new byte[] {1, 2, 3}, 2);
    handler.reject("undecodable record", "<PCollection>", 4, -1, -1, "not a tf.Example");
    handler.current(null, 0);
    handler.reject("undecodable record", "b.tfrecord", -1, 4096, -1, "not a tf.Example");
    handler.reject("undecodable record", "c.avro", -1, 65602, 7, "field 'y' is a map");
    assertEquals(4, letters.size());
    assertEquals(
        BadRecord.newBuilder()
            .setSource("a.tfrecord")
            .setRecordIndex(3)
            .setByteOffset(40)
            .setReason("undecodable record")
            .setDetail("a.tfrecord: record 3: not a tf.Example")
            .build(),
        letters.get(0));
    assertEquals(2, letters.get(1).getRecord().size());
    assertEquals(false, letters.get(1).hasByteOffset());
    assertEquals(
        "a record of a range whose index is unknown is named by its byte offset",
        BadRecord.newBuilder()
            .setSource("b.tfrecord")
            .setRecordIndex(-1)
            .setByteOffset(4096)
            .setReason("undecodable record")
            .setDetail("b.tfrecord: the record at byte offset 4096: not a tf.Example")
            .build(),
        letters.get(2));
    assertEquals(
        "an Avro record of a range whose index is unknown is named by its place in its block",
        BadRecord.newBuilder()
            .setSource("c.avro")
            .setRecordIndex(-1)
            .setByteOffset(65602)
            .setRecordInBlock(7)
            .setReason("undecodable record")
            .setDetail("c.avro: record 7 of the block at byte offset 65602: field 'y' is a map")
            .build(),
        letters.get(3));
  }

  @Test
  public void skipWithoutDeadLettersNeitherFailsNorReadsTheRecord() {
    BadRecordHandler handler = new BadRecordHandler(BadRecordPolicy.SKIP, null);
    // A buffer shorter than its length: copying it into a dead letter would throw.
    handler.current(new byte[1], 64);
    handler.reject("r", "f", 0, -1, -1, "d");
    // The same record with dead letters wanted is copied, and the short buffer shows it.
    BadRecordHandler copying = new BadRecordHandler(BadRecordPolicy.SKIP, letter -> {});
    copying.current(new byte[1], 64);
    assertThrows(IndexOutOfBoundsException.class, () -> copying.reject("r", "f", 0, -1, -1, "d"));
  }
}
