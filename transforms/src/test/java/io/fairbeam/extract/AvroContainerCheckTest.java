package io.fairbeam.extract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.Test;

/**
 * The Avro container framing check: Avro's own reader stops quietly at a cut inside a block; read
 * through the check, every cut that is not at a block end is an error naming the block.
 */
public class AvroContainerCheckTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("R").fields().requiredLong("id").requiredString("text").endRecord();

  /** A container of {@code n} records in blocks of 10; where each block ends is recorded. */
  private static byte[] container(int n, List<Integer> blockEnds, CodecFactory codec)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
      writer.setCodec(codec);
      writer.setSyncInterval(1 << 20);
      writer.create(SCHEMA, bytes);
      writer.flush();
      blockEnds.add(bytes.size());
      for (int i = 0; i < n; i++) {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("id", (long) i);
        record.put("text", "record number " + i);
        writer.append(record);
        if (i % 10 == 9) {
          writer.flush();
          blockEnds.add(bytes.size());
        }
      }
      writer.flush();
      if (bytes.size() != blockEnds.get(blockEnds.size() - 1)) {
        blockEnds.add(bytes.size());
      }
    }
    return bytes.toByteArray();
  }

  /** Reads every record through the check; returns how many. */
  private static long readThroughCheck(byte[] file) throws IOException {
    AvroContainerCheck check = new AvroContainerCheck(new ByteArrayInputStream(file));
    long n = 0;
    try (DataFileStream<GenericRecord> reader =
        new DataFileStream<>(check, new GenericDatumReader<>())) {
      while (reader.hasNext()) {
        reader.next();
        n++;
      }
      check.finish();
    } catch (IOException | RuntimeException e) {
      throw check.failure() != null ? check.failure() : new IOException(e);
    }
    return n;
  }

  /** Avro's reader alone: how many records it returns without an error (null if it throws). */
  private static Long readPlain(byte[] file) {
    long n = 0;
    try (DataFileStream<GenericRecord> reader =
        new DataFileStream<>(new ByteArrayInputStream(file), new GenericDatumReader<>())) {
      while (reader.hasNext()) {
        reader.next();
        n++;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return n;
  }

  @Test
  public void completeFilesReadWhole() throws IOException {
    for (CodecFactory codec :
        new CodecFactory[] {CodecFactory.nullCodec(), CodecFactory.deflateCodec(6)}) {
      assertEquals(95, readThroughCheck(container(95, new ArrayList<>(), codec)));
      assertEquals(0, readThroughCheck(container(0, new ArrayList<>(), codec)));
    }
  }

  @Test
  public void everyCutInsideABlockIsAnErrorAndEveryCutAtABlockEndIsNot() throws IOException {
    List<Integer> blockEnds = new ArrayList<>();
    byte[] file = container(45, blockEnds, CodecFactory.nullCodec());
    int silentlyShortInAvroAlone = 0;
    for (int cut = 1; cut < file.length; cut++) {
      byte[] truncated = Arrays.copyOf(file, cut);
      int block = 0;
      while (block < blockEnds.size() && blockEnds.get(block) < cut) {
        block++;
      }
      if (blockEnds.contains(cut)) {
        assertEquals(
            "records before the cut at block end " + cut,
            Math.min(45, 10 * (block)),
            readThroughCheck(truncated));
        continue;
      }
      IOException e =
          assertThrows("cut at " + cut, IOException.class, () -> readThroughCheck(truncated));
      assertThat(
          e.getMessage(),
          containsString(
              cut < blockEnds.get(0)
                  ? "truncated inside the Avro file header"
                  : "block "
                      + (block - 1)
                      + " (byte offset "
                      + blockEnds.get(block - 1)
                      + "): truncated inside the block"));
      Long plain = readPlain(truncated);
      if (plain != null) {
        silentlyShortInAvroAlone++;
      }
    }
    // The failure this check exists for: Avro alone returns fewer records and no error.
    assertThat(silentlyShortInAvroAlone, org.hamcrest.Matchers.greaterThan(100));
  }

  @Test
  public void damagedSyncMarkerNamesTheBlock() throws IOException {
    List<Integer> blockEnds = new ArrayList<>();
    byte[] file = container(30, blockEnds, CodecFactory.nullCodec());
    file[blockEnds.get(2) - 1] ^= 0x55; // last byte of block 1's sync marker
    IOException e = assertThrows(IOException.class, () -> readThroughCheck(file));
    assertThat(
        e.getMessage(),
        containsString("block 1 (byte offset " + blockEnds.get(1) + "): sync marker mismatch"));
  }

  @Test
  public void blockClaimingGigabytesIsRefusedBeforeAvroAllocatesIt() throws IOException {
    List<Integer> blockEnds = new ArrayList<>();
    byte[] file = container(10, blockEnds, CodecFactory.nullCodec());
    int at = blockEnds.get(0);
    // Block 0: count 10 (zigzag 20), then a size of 2^31 - 2 as a zigzag varint.
    byte[] size = {(byte) 0xFC, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    byte[] damaged = new byte[at + 1 + size.length + 8];
    System.arraycopy(file, 0, damaged, 0, at);
    damaged[at] = 20;
    System.arraycopy(size, 0, damaged, at + 1, size.length);
    IOException e = assertThrows(IOException.class, () -> readThroughCheck(damaged));
    assertThat(
        e.getMessage(),
        containsString("block 0 (byte offset " + at + "): block size 2147483646 out of range"));
  }

  @Test
  public void notAnAvroFile() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                readThroughCheck("hello, world".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(e.getMessage(), containsString("not an Avro object container file"));
  }
}
