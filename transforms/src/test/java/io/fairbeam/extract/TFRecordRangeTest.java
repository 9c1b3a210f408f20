package io.fairbeam.extract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.Test;

/**
 * Reading a TFRecord file in ranges reads every record exactly once: a file cut into two ranges at
 * every byte offset, and into three at many pairs of offsets, gives the records of the whole file,
 * in order, with the same offsets; damage near a cut is reported as a whole read reports it; and a
 * record whose data holds a whole record, which can fool the search for the next record, is an
 * error rather than a record read twice or lost.
 */
public class TFRecordRangeTest {
  /** What a reader saw: "record@offset:length:hash" or "damaged@offset", and an error if any. */
  private record Reading(List<String> events, String error) {}

  private static byte[] frame(List<byte[]> records) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      for (byte[] record : records) {
        writer.write(record);
      }
    }
    return bytes.toByteArray();
  }

  /** Records of lengths 0 to about 300, with random content. */
  private static List<byte[]> records(int count, long seed) {
    Random random = new Random(seed);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] record = new byte[i % 7 == 3 ? 0 : random.nextInt(300)];
      random.nextBytes(record);
      records.add(record);
    }
    return records;
  }

  private static Reading read(TFRecordReader reader, Reading into) throws IOException {
    List<String> events = new ArrayList<>(into.events());
    try (reader) {
      while (true) {
        int length;
        try {
          length = reader.next();
        } catch (TFRecordCorruptionException e) {
          if (!e.recoverable()) {
            return new Reading(events, e.getMessage());
          }
          events.add("damaged@" + reader.recordOffset());
          continue;
        }
        if (length < 0) {
          return new Reading(events, into.error());
        }
        events.add(
            "record@"
                + reader.recordOffset()
                + ":"
                + length
                + ":"
                + Arrays.hashCode(reader.copy(length)));
      }
    }
  }

  private static Reading whole(byte[] file) throws IOException {
    return read(
        TFRecordReader.open(new java.io.ByteArrayInputStream(file), "f.tfrecord"),
        new Reading(List.of(), null));
  }

  /** The ranges cut at {@code cuts} (ascending), read one after the other. */
  private static Reading inRanges(byte[] file, long... cuts) throws IOException {
    Reading result = new Reading(List.of(), null);
    long start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      long end = i < cuts.length ? cuts[i] : file.length;
      if (end > start) {
        Reading range =
            read(
                TFRecordReader.openRange(
                    new SeekableInMemoryByteChannel(file), "f.tfrecord", start, end),
                new Reading(result.events(), null));
        result =
            new Reading(range.events(), result.error() != null ? result.error() : range.error());
      }
      start = end;
    }
    return result;
  }

  @Test
  public void twoRangesCutAtEveryOffsetReadEachRecordOnce() throws IOException {
    byte[] file = frame(records(40, 1));
    Reading whole = whole(file);
    assertEquals(40, whole.events().size());
    for (int cut = 1; cut < file.length; cut++) {
      assertEquals("cut at " + cut, whole, inRanges(file, cut));
    }
  }

  @Test
  public void threeRangesCutAtManyPairsOfOffsetsReadEachRecordOnce() throws IOException {
    byte[] file = frame(records(25, 2));
    Reading whole = whole(file);
    for (int a = 1; a < file.length; a += 7) {
      for (int b = a; b < file.length; b += 11) {
        assertEquals("cuts at " + a + ", " + b, whole, inRanges(file, a, b));
      }
    }
  }

  @Test
  public void aRecordWithADamagedChecksumIsReportedOnceWhereverTheCut() throws IOException {
    byte[] file = frame(records(12, 3));
    // Damage the data of the fifth record: its data checksum fails, its framing is intact.
    long offset = 0;
    for (int i = 0; i < 4; i++) {
      offset += 16 + TFRecords.readLongLe(file, (int) offset);
    }
    int length = (int) TFRecords.readLongLe(file, (int) offset);
    assertTrue(length > 0);
    file[(int) offset + 12] ^= 0x55;
    Reading whole = whole(file);
    assertTrue(whole.events().contains("damaged@" + offset));
    for (int cut = 1; cut < file.length; cut++) {
      assertEquals("cut at " + cut, whole, inRanges(file, cut));
    }
  }

  @Test
  public void aDamagedLengthIsAnErrorWhereverTheCut() throws IOException {
    byte[] file = frame(records(12, 4));
    int offset = (int) (16 + TFRecords.readLongLe(file, 0));
    file[offset + 9] ^= 0x01; // the second record's length checksum
    Reading whole = whole(file);
    assertNotNull(whole.error());
    for (int cut = 1; cut < file.length; cut++) {
      Reading split = inRanges(file, cut);
      assertNotNull("cut at " + cut, split.error());
      assertThat(split.error(), containsString("length checksum mismatch"));
      assertThat(split.error(), containsString("byte offset " + offset));
    }
  }

  @Test
  public void aCutFileIsAnErrorWhereverTheCut() throws IOException {
    byte[] intact = frame(records(10, 5));
    byte[] file = Arrays.copyOf(intact, intact.length - 9);
    assertNotNull(whole(file).error());
    for (int cut = 1; cut < file.length; cut++) {
      Reading split = inRanges(file, cut);
      assertNotNull("cut at " + cut, split.error());
      assertThat(split.error(), containsString("truncated"));
    }
  }

  @Test
  public void aRecordHoldingWholeRecordsIsReadOnceOrIsAnError() throws IOException {
    List<byte[]> records = records(6, 6);
    // A record whose data is itself a TFRecord file of two records, as a bytes feature holding
    // serialized TFRecord data would be: a cut inside it finds intact records there.
    records.add(3, frame(records(2, 7)));
    byte[] file = frame(records);
    Reading whole = whole(file);
    assertEquals(7, whole.events().size());
    int errors = 0;
    for (int cut = 1; cut < file.length; cut++) {
      Reading split = inRanges(file, cut);
      if (split.error() != null) {
        errors++;
        assertThat(split.error(), containsString("cannot be read in ranges"));
      } else {
        assertEquals("cut at " + cut, whole, split);
      }
    }
    assertTrue("cuts inside the record that holds records are refused", errors > 0);
  }

  @Test
  public void aGzipFileIsReadWholeByTheRangeThatStartsAtZero() throws IOException {
    byte[] plain = frame(records(30, 8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(plain);
    }
    byte[] file = bytes.toByteArray();
    Reading whole = whole(plain);
    for (int cut = 1; cut < file.length; cut += 13) {
      assertEquals("cut at " + cut, whole, inRanges(file, cut));
    }
  }

  @Test
  public void aRangeAfterTheFirstNamesRecordsByOffset() throws IOException {
    List<byte[]> records = records(8, 9);
    byte[] file = frame(records);
    int second = 16 + records.get(0).length;
    // Damage the third record's data; the range from byte 1 starts at the second record.
    int third = second + 16 + records.get(1).length;
    file[third + 12] ^= 1;
    try (TFRecordReader reader =
        TFRecordReader.openRange(
            new SeekableInMemoryByteChannel(file), "f.tfrecord", 1, file.length)) {
      assertEquals(records.get(1).length, reader.next());
      assertEquals(-1, reader.recordIndex());
      assertEquals(second, reader.recordOffset());
      TFRecordCorruptionException e =
          org.junit.Assert.assertThrows(TFRecordCorruptionException.class, reader::next);
      assertEquals(
          "f.tfrecord: the record at byte offset " + third + ": data checksum mismatch",
          e.getMessage());
    }
  }
}
