package io.fairbeam.extract;

import io.fairbeam.util.ExceptionText;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads Avro data files through an {@link AvroContainerCheck}, so a file cut inside a block or a
 * damaged block is an error naming the block, never a quiet end of the file. A block Avro cannot
 * decode stops the file under either policy: the records after the damage cannot be found.
 */
final class AvroSource implements RecordSource {
  private final AvroExampleDecoder decoder;

  AvroSource(FeatureSet features) {
    this.decoder = new AvroExampleDecoder(features);
  }

  @Override
  public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
    long index = -1;
    AvroContainerCheck framing = new AvroContainerCheck(in);
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
            throw new IOException(fileName + ": " + framing.failure().getMessage(), e);
          }
          throw new IOException(
              fileName
                  + ": record "
                  + (index + 1)
                  + " (block "
                  + framing.blockIndex()
                  + "): unreadable Avro data: "
                  + ExceptionText.describe(ExceptionText.root(e)),
              e);
        }
        index++;
        try {
          decoder.decode(record, sink.target());
        } catch (MalformedRecordException e) {
          sink.undecodable(fileName, index, -1, null, 0, e.getMessage());
          continue;
        }
        sink.accept(fileName, index, -1, null, 0);
      }
      framing.finish();
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(fileName)) {
        throw e;
      }
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

  /** Reads an Avro header; a damaged one (its schema, say) is an error naming the file. */
  private static DataFileStream<GenericRecord> open(AvroContainerCheck framing, String fileName)
      throws IOException {
    try {
      return new DataFileStream<>(framing, new GenericDatumReader<>());
    } catch (RuntimeException e) {
      throw new IOException(
          fileName
              + ": not a readable Avro data file (damaged header): "
              + ExceptionText.describe(ExceptionText.root(e)),
          e);
    }
  }
}
