package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/**
 * Reads CSV files with a header, typing each column by the run's {@link CsvSchema}; an uncompressed
 * file can be read in ranges ({@link CsvExampleReader#range}).
 */
final class CsvSource implements RecordSource {
  private final CsvSchema schema;
  private final FeatureSet features;

  CsvSource(CsvSchema schema, FeatureSet features) {
    this.schema = schema;
    this.features = features;
  }

  @Override
  public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
    try (CsvExampleReader reader = new CsvExampleReader(in, fileName, schema, features)) {
      readAll(reader, fileName, sink);
    }
  }

  @Override
  public void readRange(
      SeekableByteChannel channel, String fileName, long start, long end, RecordSink sink)
      throws IOException {
    try (CsvExampleReader reader =
        CsvExampleReader.range(channel, fileName, schema, features, start, end)) {
      readAll(reader, fileName, sink);
    }
  }

  private static void readAll(CsvExampleReader reader, String fileName, RecordSink sink)
      throws IOException {
    while (true) {
      try {
        if (!reader.next(sink.target())) {
          return;
        }
      } catch (MalformedRecordException e) {
        sink.undecodable(
            fileName, reader.recordIndex(), reader.byteOffset(), -1, null, 0, e.getMessage());
        continue;
      }
      sink.accept(fileName, reader.recordIndex(), reader.byteOffset(), -1, null, 0);
    }
  }
}
