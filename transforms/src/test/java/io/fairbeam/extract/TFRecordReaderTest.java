package io.fairbeam.extract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.Test;

/** TFRecord framing: round trips, compression detection and every kind of damage. */
public class TFRecordReaderTest {
  private static byte[] frame(List<byte[]> records, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(gzip ? new GZIPOutputStream(bytes) : bytes)) {
      for (byte[] record : records) {
        writer.write(record);
      }
    }
    return bytes.toByteArray();
  }

  private static List<byte[]> readAll(byte[] file, String name) throws IOException {
    List<byte[]> result = new ArrayList<>();
    try (TFRecordReader reader = TFRecordReader.open(new ByteArrayInputStream(file), name)) {
      int length;
      while ((length = reader.next()) >= 0) {
        result.add(reader.copy(length));
      }
    }
    return result;
  }

  private static final List<byte[]> RECORDS =
      List.of(
          "first".getBytes(StandardCharsets.UTF_8),
          new byte[0],
          new byte[100_000],
          "last".getBytes(StandardCharsets.UTF_8));

  @Test
  public void knownFramingOfTensorFlow() throws IOException {
    // The framing of the record b"a", computed with an independent bitwise CRC-32C in Python
    // (checked against the CRC-32C check value crc("123456789") = 0xE3069283) and TFRecord's
    // mask ((crc >> 15 | crc << 17) + 0xa282ead8).
    byte[] expected = {1, 0, 0, 0, 0, 0, 0, 0, 1, 117, -34, 65, 97, 120, 110, -28, 40};
    byte[] actual = frame(List.of(new byte[] {'a'}), false);
    assertArrayEquals(expected, actual);
  }

  @Test
  public void roundTripsPlainAndGzip() throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      List<byte[]> read = readAll(frame(RECORDS, gzip), gzip ? "x.tfrecord.gz" : "x.tfrecord");
      assertEquals(RECORDS.size(), read.size());
      for (int i = 0; i < RECORDS.size(); i++) {
        assertArrayEquals(RECORDS.get(i), read.get(i));
      }
    }
  }

  @Test
  public void detectsGzipWithoutExtension() throws IOException {
    List<byte[]> read = readAll(frame(RECORDS, true), "no-extension");
    assertEquals(RECORDS.size(), read.size());
  }

  @Test
  public void dataChecksumMismatchIsRecoverable() throws IOException {
    byte[] file = frame(RECORDS, false);
    file[12] ^= 1; // first data byte of record 0
    try (TFRecordReader reader = TFRecordReader.open(new ByteArrayInputStream(file), "f")) {
      TFRecordCorruptionException e = assertThrows(TFRecordCorruptionException.class, reader::next);
      assertTrue(e.recoverable());
      assertThat(e.getMessage(), containsString("f: record 0"));
      assertThat(e.getMessage(), containsString("data checksum mismatch"));
      assertEquals(0, reader.next()); // record 1, the empty one, still reads
    }
  }

  @Test
  public void lengthChecksumMismatchIsFatal() throws IOException {
    byte[] file = frame(RECORDS, false);
    file[5 + 12 + 4] ^= 1; // the length of record 1
    try (TFRecordReader reader = TFRecordReader.open(new ByteArrayInputStream(file), "f")) {
      assertEquals(5, reader.next());
      TFRecordCorruptionException e = assertThrows(TFRecordCorruptionException.class, reader::next);
      assertFalse(e.recoverable());
      assertThat(e.getMessage(), containsString("record 1 (byte offset 21)"));
    }
  }

  @Test
  public void truncationAnywhereIsReported() throws IOException {
    byte[] file = frame(RECORDS, false);
    for (int cut : new int[] {3, 13, 20, file.length - 2}) {
      byte[] truncated = Arrays.copyOf(file, cut);
      IOException e = assertThrows(IOException.class, () -> readAll(truncated, "t"));
      assertThat(e.getMessage(), containsString("truncated"));
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  public void readsEveryMemberOfAMultiMemberGzipFile() throws IOException {
    byte[] file = concat(frame(RECORDS, true), frame(List.of(new byte[] {7}), true));
    List<byte[]> read = readAll(file, "cat.tfrecord.gz");
    assertEquals(RECORDS.size() + 1, read.size());
    assertArrayEquals(new byte[] {7}, read.get(RECORDS.size()));
  }

  @Test
  public void damagedSecondGzipMemberIsAnError() throws IOException {
    byte[] first = frame(RECORDS, true);
    byte[] second = frame(List.of(new byte[] {7}), true);
    second[3] = (byte) 0xE0; // reserved header flags: not a valid member
    IOException e =
        assertThrows(IOException.class, () -> readAll(concat(first, second), "cat.tfrecord.gz"));
    assertThat(e.getMessage(), containsString("cat.tfrecord.gz: record "));
    assertThat(
        e.getMessage(),
        containsString(
            "damaged GZIP data at or after this record:"
                + " Reserved flags are set in the .gz header"));
  }

  @Test
  public void garbageAfterTheLastGzipMemberIsAnError() throws IOException {
    byte[] file = concat(frame(RECORDS, true), "trailing".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(IOException.class, () -> readAll(file, "g.tfrecord.gz"));
    assertThat(e.getMessage(), containsString("Garbage after a valid .gz stream"));
  }

  @Test
  public void truncatedGzipNamesTheFileAndSaysTruncated() throws IOException {
    byte[] file = frame(RECORDS, true);
    byte[] truncated = Arrays.copyOf(file, file.length / 2);
    IOException e = assertThrows(IOException.class, () -> readAll(truncated, "t.tfrecord.gz"));
    assertThat(e.getMessage(), containsString("t.tfrecord.gz: record"));
    assertThat(e.getMessage(), containsString("truncated"));
  }

  /** A record header with a valid length checksum claiming {@code length} bytes. */
  private static byte[] header(long length) {
    byte[] header = new byte[TFRecords.HEADER_BYTES];
    TFRecords.writeLongLe(header, 0, length);
    TFRecords.writeIntLe(header, 8, TFRecords.maskedCrc32c(header, 0, 8));
    return header;
  }

  @Test
  public void headerClaimingTwoGigabytesOfATruncatedFileNeedsNoHeap() throws IOException {
    byte[] file = concat(header(Integer.MAX_VALUE - 100L), new byte[10]);
    IOException e = assertThrows(IOException.class, () -> readAll(file, "h"));
    assertThat(e.getMessage(), containsString("h: record 0 (byte offset 0)"));
    assertThat(e.getMessage(), containsString("longer than the 256 MiB limit"));
  }

  @Test
  public void recordOverTheLimitIsSkippedAndReadingGoesOn() throws IOException {
    int length = TFRecordReader.MAX_RECORD_BYTES + 1;
    byte[] file =
        concat(
            header(length),
            new byte[length + TFRecords.FOOTER_BYTES],
            frame(List.of(new byte[] {9}), false));
    try (TFRecordReader reader = TFRecordReader.open(new ByteArrayInputStream(file), "o")) {
      TFRecordCorruptionException e = assertThrows(TFRecordCorruptionException.class, reader::next);
      assertTrue(e.recoverable());
      assertEquals(1, reader.next());
      assertEquals(9, reader.buffer()[0]);
      assertEquals(-1, reader.next());
    }
  }

  @Test
  public void largeRecordsStillRoundTrip() throws IOException {
    byte[] big = new byte[3 << 20];
    Arrays.fill(big, (byte) 5);
    List<byte[]> read = readAll(frame(List.of(big, new byte[] {1}), false), "big");
    assertArrayEquals(big, read.get(0));
    assertArrayEquals(new byte[] {1}, read.get(1));
  }
}
