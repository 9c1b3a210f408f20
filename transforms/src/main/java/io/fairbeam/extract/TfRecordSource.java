package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Reads TFRecord files of {@code tf.Example}, plain or GZIP. A record whose data checksum fails or
 * that is not a valid {@code tf.Example} is undecodable; damaged framing (a cut record, a bad
 * length checksum) stops the file, since the records after it cannot be found. Uncompressed files
 * can be read in ranges ({@link TFRecordReader#openRange}).
 */
@Internal
public final class TfRecordSource implements RecordSource {
  private final TfExampleScanner scanner;

  public TfRecordSource(FeatureSet features) {
    this.scanner = new TfExampleScanner(features);
  }

  @Override
  public void read(InputStream in, String fileName, RecordSink sink) throws IOException {
    try (TFRecordReader reader = TFRecordReader.open(in, fileName)) {
      readAll(reader, fileName, sink);
    }
  }

  @Override
  public void readRange(
      SeekableByteChannel channel, String fileName, long start, long end, RecordSink sink)
      throws IOException {
    try (TFRecordReader reader = TFRecordReader.openRange(channel, fileName, start, end)) {
      readAll(reader, fileName, sink);
    }
  }

  private void readAll(TFRecordReader reader, String fileName, RecordSink sink) throws IOException {
    while (true) {
      int length;
      try {
        length = reader.next();
      } catch (TFRecordCorruptionException e) {
        if (!e.recoverable()) {
          throw e;
        }
        sink.undecodable(
            fileName, reader.recordIndex(), reader.recordOffset(), -1, null, 0, e.detail());
        continue;
      }
      if (length < 0) {
        return;
      }
      try {
        scanner.scan(reader.buffer(), length, sink.target());
      } catch (MalformedRecordException e) {
        sink.undecodable(
            fileName,
            reader.recordIndex(),
            reader.recordOffset(),
            -1,
            reader.buffer(),
            length,
            e.getMessage());
        continue;
      }
      sink.accept(
          fileName, reader.recordIndex(), reader.recordOffset(), -1, reader.buffer(), length);
    }
  }

  /** Decodes one serialized record given without a file into {@code sink}. */
  public void decode(byte[] record, String source, long recordIndex, RecordSink sink) {
    try {
      scanner.scan(record, record.length, sink.target());
    } catch (MalformedRecordException e) {
      sink.undecodable(source, recordIndex, -1, -1, record, record.length, e.getMessage());
      return;
    }
    sink.accept(source, recordIndex, -1, -1, record, record.length);
  }
}
