package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
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
   * Reads the records of the file open as {@code channel} that start in {@code [start, end)} (see
   * {@link RecordFormat#splittable}), so that the readers of a file's adjacent ranges read each of
   * its records once. A format that cannot be read in ranges reads the whole file for the range
   * that starts at 0 and nothing for the others.
   */
  default void readRange(
      SeekableByteChannel channel, String fileName, long start, long end, RecordSink sink)
      throws IOException {
    if (start == 0) {
      read(Channels.newInputStream(channel), fileName, sink);
    }
  }

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
