package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Reads the records of one input file in one format and decodes the features a run needs from each
 * ({@link #of} picks the format's reader). Damage that hides the records after it (a cut TFRecord
 * frame, a broken Avro block, an unterminated CSV quote) is an {@link IOException} naming the file;
 * a single record that cannot be decoded goes to {@link RecordSink#undecodable}.
 */
@Internal
public interface RecordSource {
  /** Reads every record of {@code in}, named {@code fileName} in messages, into {@code sink}. */
  void read(InputStream in, String fileName, RecordSink sink) throws IOException;

  /**
   * The reader of {@code format} that decodes {@code features}; {@code csvSchema} is required for
   * CSV and ignored otherwise.
   */
  static RecordSource of(RecordFormat format, FeatureSet features, CsvSchema csvSchema) {
    return switch (format) {
      case TFRECORD -> new TfRecordSource(features);
      case CSV -> {
        if (csvSchema == null) {
          throw new IllegalArgumentException("CSV input needs a CsvSchema");
        }
        yield new CsvSource(csvSchema, features);
      }
      case AVRO -> new AvroSource(features);
    };
  }
}
