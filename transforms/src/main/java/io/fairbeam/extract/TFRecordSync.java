package io.fairbeam.extract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * Finds where the next TFRecord record starts at or after any byte offset of an uncompressed file,
 * so one file can be read in ranges. A position is taken for a record start only when everything a
 * record carries checks out there: the masked CRC-32C of its length, a length within {@link
 * TFRecordReader#MAX_RECORD_BYTES} that fits in the file, and the masked CRC-32C of its data. Bytes
 * inside a record pass both checks by chance with odds of about 2<sup>-64</sup> per position.
 *
 * <p>A damaged record is never taken for a start, so the sync point may lie after a record that
 * starts at or after the offset: the reader of the range before reads on up to the sync point (see
 * {@link TFRecordReader#openRange}), and a sync point inside a record it reads (a record whose data
 * holds a whole TFRecord record) is detected there and reported, never read twice or lost.
 */
final class TFRecordSync {
  private static final int WINDOW_BYTES = 1 << 16;

  private TFRecordSync() {}

  /**
   * The offset of the first position at or after {@code from} where a complete, intact record
   * starts, or {@code size} if there is none.
   */
  static long next(SeekableByteChannel channel, long from, long size) throws IOException {
    byte[] window = new byte[WINDOW_BYTES];
    long windowStart = from;
    int windowLength = readAt(channel, windowStart, window, 0, window.length, size);
    for (long p = from; p + TFRecords.HEADER_BYTES + TFRecords.FOOTER_BYTES <= size; p++) {
      int i = (int) (p - windowStart);
      if (i + TFRecords.HEADER_BYTES > windowLength) {
        windowStart = p;
        windowLength = readAt(channel, windowStart, window, 0, window.length, size);
        i = 0;
      }
      if (TFRecords.maskedCrc32c(window, i, 8) != TFRecords.readIntLe(window, i + 8)) {
        continue;
      }
      long length = TFRecords.readLongLe(window, i);
      if (length < 0
          || length > TFRecordReader.MAX_RECORD_BYTES
          || p + TFRecords.HEADER_BYTES + length + TFRecords.FOOTER_BYTES > size) {
        continue;
      }
      if (dataIntact(channel, p, (int) length, size)) {
        return p;
      }
    }
    return size;
  }

  /** Whether the record whose header is at {@code start} has data matching its checksum. */
  private static boolean dataIntact(SeekableByteChannel channel, long start, int length, long size)
      throws IOException {
    byte[] data = new byte[length + TFRecords.FOOTER_BYTES];
    int read = readAt(channel, start + TFRecords.HEADER_BYTES, data, 0, data.length, size);
    return read == data.length
        && TFRecords.maskedCrc32c(data, 0, length) == TFRecords.readIntLe(data, length);
  }

  /** Reads up to {@code length} bytes at {@code position}; fewer only at the end of the file. */
  private static int readAt(
      SeekableByteChannel channel, long position, byte[] into, int offset, int length, long size)
      throws IOException {
    int wanted = (int) Math.min(length, Math.max(0, size - position));
    ByteBuffer buffer = ByteBuffer.wrap(into, offset, wanted);
    channel.position(position);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        break;
      }
    }
    return wanted - buffer.remaining();
  }
}
