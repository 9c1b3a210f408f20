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
    try (TFRecordWriter writer =
        new TFRecordWriter(gzip ? new GZIPOutputStream(bytes) : bytes)) {
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

  private static final List<byte[]> RECORDS = List.of(
      "first".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[100_000],
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
      TFRecordCorruptionException e =
          assertThrows(TFRecordCorruptionException.class, reader::next);
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
      TFRecordCorruptionException e =
          assertThrows(TFRecordCorruptionException.class, reader::next);
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
}
