package io.fairbeam.extract;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.beam.sdk.annotations.Internal;

/** Writes records in TFRecord framing (length, masked CRC32C of length, data, masked CRC32C). */
@Internal
public final class TFRecordWriter implements Closeable {
  private final OutputStream out;
  private final byte[] header = new byte[TFRecords.HEADER_BYTES];
  private final byte[] footer = new byte[TFRecords.FOOTER_BYTES];

  public TFRecordWriter(OutputStream out) {
    this.out = out;
  }

  public void write(byte[] record) throws IOException {
    write(record, 0, record.length);
  }

  public void write(byte[] record, int offset, int length) throws IOException {
    TFRecords.writeLongLe(header, 0, length);
    TFRecords.writeIntLe(header, 8, TFRecords.maskedCrc32c(header, 0, 8));
    TFRecords.writeIntLe(footer, 0, TFRecords.maskedCrc32c(record, offset, length));
    out.write(header);
    out.write(record, offset, length);
    out.write(footer);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
