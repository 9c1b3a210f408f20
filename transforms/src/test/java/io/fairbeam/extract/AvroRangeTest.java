package io.fairbeam.extract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.Test;

/**
 * Reading an Avro file in ranges reads every record exactly once: a file cut into two ranges at
 * every byte offset, and into three at many pairs of offsets, gives the records of the whole file,
 * in order, each named by the same block offset and index in the block (and, in the first range,
 * the same index in the file), with the null and the deflate codec; damage near a cut is an error
 * as in a whole read; and a record holding the file's own sync marker, which can fool the search
 * for the next block, is an error rather than a record read twice or lost.
 */
public class AvroRangeTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("R")
          .fields()
          .requiredLong("y")
          .requiredString("g")
          .requiredBytes("blob")
          .endRecord();

  private static final FeatureSet FEATURES = FeatureSet.of(List.of("y", "g"));

  /** What a reader saw: "index:blockOffset/inBlock:y:g" per record, and an error if any. */
  private record Reading(List<String> events, String error) {}

  private static final class Recorder implements RecordSink {
    final ExampleFeatures example = FEATURES.newExample();
    final List<String> events;

    Recorder(List<String> events) {
      this.events = new ArrayList<>(events);
    }

    @Override
    public ExampleFeatures target() {
      return example;
    }

    @Override
    public void accept(
        String file,
        long recordIndex,
        long byteOffset,
        long recordInBlock,
        byte[] buffer,
        int length) {
      events.add(
          recordIndex
              + ":"
              + byteOffset
              + "/"
              + recordInBlock
              + ":"
              + example.slot(0).numberAt(0)
              + ":"
              + example.slot(1).textAt(0));
    }

    @Override
    public void undecodable(
        String file,
        long recordIndex,
        long byteOffset,
        long recordInBlock,
        byte[] buffer,
        int length,
        String detail) {
      events.add("undecodable " + recordIndex + ":" + byteOffset + "/" + recordInBlock);
    }
  }

  /** {@code n} records with blobs of 0 to 40 random bytes, in blocks of about 300 bytes. */
  private static byte[] container(int n, long seed, CodecFactory codec, byte[] sync, byte[] blobAt3)
      throws IOException {
    Random random = new Random(seed);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
      writer.setCodec(codec);
      writer.setSyncInterval(300);
      if (sync != null) {
        writer.create(SCHEMA, bytes, sync);
      } else {
        writer.create(SCHEMA, bytes);
      }
      for (int i = 0; i < n; i++) {
        byte[] blob = new byte[random.nextInt(41)];
        random.nextBytes(blob);
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("y", (long) i);
        record.put("g", "value " + i);
        record.put("blob", ByteBuffer.wrap(i == 3 && blobAt3 != null ? blobAt3 : blob));
        writer.append(record);
      }
    }
    return bytes.toByteArray();
  }

  private static Reading whole(byte[] file) {
    Recorder sink = new Recorder(List.of());
    try {
      new AvroSource(FEATURES).read(new ByteArrayInputStream(file), "f.avro", sink);
    } catch (IOException e) {
      return new Reading(sink.events, String.valueOf(e.getMessage()));
    }
    return new Reading(sink.events, null);
  }

  /** The ranges cut at {@code cuts} (ascending), read one after the other. */
  private static Reading inRanges(byte[] file, long... cuts) {
    List<String> events = List.of();
    String error = null;
    long start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      long end = i < cuts.length ? cuts[i] : file.length;
      if (end > start) {
        Recorder sink = new Recorder(events);
        try {
          new AvroSource(FEATURES)
              .readRange(new SeekableInMemoryByteChannel(file), "f.avro", start, end, sink);
        } catch (IOException e) {
          error = error != null ? error : String.valueOf(e.getMessage());
        }
        events = sink.events;
      }
      start = end;
    }
    return new Reading(events, error);
  }

  /**
   * A whole read's events as a range after the first names them: the first range's records keep
   * their index, the others have -1.
   */
  private static void assertSameRecords(String what, Reading whole, Reading split) {
    assertEquals(what, whole.error(), split.error());
    assertEquals(what, withoutIndexes(whole.events()), withoutIndexes(split.events()));
    for (int i = 0; i < split.events().size(); i++) {
      String index = split.events().get(i).split(":")[0];
      assertTrue(what, index.equals("-1") || index.equals(String.valueOf(i)));
    }
  }

  private static List<String> withoutIndexes(List<String> events) {
    return events.stream().map(e -> e.substring(e.indexOf(':'))).toList();
  }

  @Test
  public void twoRangesCutAtEveryOffsetReadEachRecordOnce() throws IOException {
    for (CodecFactory codec : List.of(CodecFactory.nullCodec(), CodecFactory.deflateCodec(6))) {
      byte[] file = container(60, 1, codec, null, null);
      Reading whole = whole(file);
      assertNull(whole.error());
      assertEquals(60, whole.events().size());
      assertTrue("several blocks", whole.events().get(59).startsWith("59:") && file.length > 1200);
      for (int cut = 1; cut < file.length; cut++) {
        assertSameRecords(codec + " cut at " + cut, whole, inRanges(file, cut));
      }
    }
  }

  @Test
  public void threeRangesCutAtManyPairsOfOffsetsReadEachRecordOnce() throws IOException {
    byte[] file = container(40, 2, CodecFactory.nullCodec(), null, null);
    Reading whole = whole(file);
    for (int a = 1; a < file.length; a += 7) {
      for (int b = a; b < file.length; b += 11) {
        assertSameRecords("cuts at " + a + ", " + b, whole, inRanges(file, a, b));
      }
    }
  }

  @Test
  public void aCutOrDamagedFileIsAnErrorWhereverTheCut() throws IOException {
    byte[] intact = container(30, 3, CodecFactory.nullCodec(), null, null);
    byte[] cut = Arrays.copyOf(intact, intact.length - 9);
    assertNotNull(whole(cut).error());
    byte[] damaged = intact.clone();
    damaged[intact.length - 5] ^= 0x5A; // the last block's sync marker
    Reading damagedWhole = whole(damaged);
    assertNotNull(damagedWhole.error());
    for (int at = 1; at < cut.length; at++) {
      Reading split = inRanges(cut, at);
      assertNotNull("cut file, cut at " + at, split.error());
      assertThat(split.error(), containsString("truncated inside the block"));
      assertNotNull("damaged file, cut at " + at, inRanges(damaged, at).error());
    }
  }

  @Test
  public void aRecordHoldingTheSyncMarkerIsReadOnceOrIsAnError() throws IOException {
    byte[] sync = new byte[16];
    new Random(4).nextBytes(sync);
    byte[] file = container(30, 4, CodecFactory.nullCodec(), sync, sync);
    Reading whole = whole(file);
    assertNull(whole.error());
    assertEquals(30, whole.events().size());
    int errors = 0;
    for (int cut = 1; cut < file.length; cut++) {
      Reading split = inRanges(file, cut);
      if (split.error() != null) {
        errors++;
        assertThat("cut at " + cut, split.error(), containsString("cannot be read in ranges"));
      } else {
        assertSameRecords("cut at " + cut, whole, split);
      }
    }
    assertTrue("cuts before the record that holds the marker are refused", errors > 0);
  }

  @Test
  public void aFileWithoutBlocksAndOneShorterThanItsHeaderAreReadAsWhole() throws IOException {
    byte[] empty = container(0, 5, CodecFactory.nullCodec(), null, null);
    assertEquals(List.of(), whole(empty).events());
    for (int cut = 1; cut < empty.length; cut++) {
      assertSameRecords("cut at " + cut, whole(empty), inRanges(empty, cut));
    }
    byte[] header = Arrays.copyOf(empty, empty.length - 3);
    assertNotNull(whole(header).error());
    for (int cut = 1; cut < header.length; cut++) {
      assertThat(inRanges(header, cut).error(), containsString("truncated inside the Avro file"));
    }
  }
}
