package io.fairbeam.extract;

import io.fairbeam.util.ExceptionText;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.Locale;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads Avro data files through an {@link AvroContainerCheck}, so a file cut inside a block or a
 * damaged block is an error naming the block, never a quiet end of the file. A block Avro cannot
 * decode stops the file under either policy: the records after the damage cannot be found.
 *
 * <p>A file can be read in ranges ({@link #readRange}): a range reads the blocks that start in it
 * (a block starts right after a sync marker; {@link AvroSync} finds the first), behind the file's
 * header, which every range reads. Records are named and sampled by their block's offset and their
 * index in the block, which do not depend on how the file was cut.
 */
final class AvroSource implements RecordSource {
  private static final int BUFFER_BYTES = 1 << 16;

  private final AvroExampleDecoder decoder;

  AvroSource(FeatureSet features) {
    this.decoder = new AvroExampleDecoder(features);
  }

  @Override
  public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
    read(new AvroContainerCheck(in), fileName, true, sink);
  }

  /**
   * Reads the blocks that start in {@code [start, end)}, then checks that the next range starts
   * exactly where this one stopped: a search fooled by a record holding the file's own sync marker
   * would otherwise read records twice or lose them.
   */
  @Override
  public void readRange(
      SeekableByteChannel channel, String fileName, long start, long end, RecordSink sink)
      throws IOException {
    long size = channel.size();
    AvroContainerCheck framing;
    if (start == 0) {
      framing = AvroContainerCheck.range(stream(channel, 0), -1, end);
    } else {
      AvroContainerCheck header = AvroContainerCheck.range(stream(channel, 0), -1, 0);
      byte[] headerBytes = readHeader(header, fileName);
      long from = AvroSync.next(channel, start, size, header.syncMarker(), header.headerEnd());
      InputStream blocks =
          new SequenceInputStream(new ByteArrayInputStream(headerBytes), stream(channel, from));
      framing = AvroContainerCheck.range(blocks, from, end);
    }
    read(framing, fileName, start == 0, sink);
    long stoppedAt = framing.endOffset();
    long nextStart = AvroSync.next(channel, end, size, framing.syncMarker(), framing.headerEnd());
    if (stoppedAt != nextStart) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "%s: this file cannot be read in ranges: the bytes at byte offset %d match the"
                  + " file's sync marker inside a block that ends at byte offset %d; read the file"
                  + " whole (--splitFiles=false)",
              fileName,
              nextStart - 16,
              stoppedAt));
    }
  }

  /** The file from {@code position} on, as a stream whose closing leaves the channel open. */
  private static InputStream stream(SeekableByteChannel channel, long position) throws IOException {
    return new BufferedInputStream(
        ChannelRange.open(channel, position, channel.size()), BUFFER_BYTES);
  }

  /** The header's bytes, read through {@code header}, which ends the stream where it ends. */
  private static byte[] readHeader(AvroContainerCheck header, String fileName) throws IOException {
    try {
      byte[] bytes = header.readAllBytes();
      if (header.headerEnd() < 0) {
        // Only an empty stream ends before the header without a framing error.
        throw new IOException("(byte offset 0): truncated inside the Avro file header");
      }
      return bytes;
    } catch (IOException e) {
      throw new IOException(
          fileName + ": " + (header.failure() != null ? header.failure() : e).getMessage(), e);
    }
  }

  /**
   * Reads the records {@code framing} lets through; their indexes in the file are known when it
   * starts at the file's first block ({@code indexKnown}).
   */
  private void read(
      AvroContainerCheck framing, String fileName, boolean indexKnown, RecordSink sink)
      throws IOException {
    long index = -1;
    long blockOffset = -1;
    long blockRecords = 0;
    long leftInBlock = 0;
    try (DataFileStream<GenericRecord> reader = open(framing, fileName)) {
      GenericRecord record = null;
      while (true) {
        try {
          if (!reader.hasNext()) {
            break;
          }
          record = reader.next(record);
        } catch (RuntimeException e) {
          if (framing.failure() != null) {
            throw new FileNamedException(fileName + ": " + framing.failure().getMessage(), e);
          }
          throw new FileNamedException(
              fileName
                  + ": "
                  + (indexKnown ? "record " + (index + 1) + " in " : "a record in ")
                  + framing.blockName()
                  + ": unreadable Avro data: "
                  + ExceptionText.describe(ExceptionText.root(e)),
              e);
        }
        index++;
        if (leftInBlock == 0) {
          long[] block = framing.takeBlock();
          blockOffset = block[0];
          blockRecords = block[1];
          leftInBlock = blockRecords;
        }
        long inBlock = blockRecords - leftInBlock--;
        long recordIndex = indexKnown ? index : -1;
        try {
          decoder.decode(record, sink.target());
        } catch (MalformedRecordException e) {
          sink.undecodable(fileName, recordIndex, blockOffset, inBlock, null, 0, e.getMessage());
          continue;
        }
        sink.accept(fileName, recordIndex, blockOffset, inBlock, null, 0);
      }
      framing.finish();
    } catch (FileNamedException e) {
      throw e;
    } catch (IOException e) {
      if (framing.failure() != null) {
        throw new IOException(fileName + ": " + framing.failure().getMessage(), e);
      }
      throw new IOException(
          fileName
              + ": not a readable Avro data file: "
              + ExceptionText.describe(ExceptionText.root(e)),
          e);
    }
  }

  /** An I/O error whose message already names the file and what is wrong, passed on as it is. */
  private static final class FileNamedException extends IOException {
    private static final long serialVersionUID = 1L;

    FileNamedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads an Avro header; a damaged one (its schema, say) is an error naming the file. */
  private static DataFileStream<GenericRecord> open(AvroContainerCheck framing, String fileName)
      throws IOException {
    try {
      return new DataFileStream<>(framing, new GenericDatumReader<>());
    } catch (RuntimeException e) {
      throw new FileNamedException(
          fileName
              + ": not a readable Avro data file (damaged header): "
              + ExceptionText.describe(ExceptionText.root(e)),
          e);
    }
  }
}
