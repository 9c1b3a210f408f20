package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;

/** Reads CSV files with a header, typing each column by the run's {@link CsvSchema}. */
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
      while (true) {
        try {
          if (!reader.next(sink.target())) {
            return;
          }
        } catch (MalformedRecordException e) {
          sink.undecodable(fileName, reader.recordIndex(), -1, null, 0, e.getMessage());
          continue;
        }
        sink.accept(fileName, reader.recordIndex(), -1, null, 0);
      }
    }
  }
}
