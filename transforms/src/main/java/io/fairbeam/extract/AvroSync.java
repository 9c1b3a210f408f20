package io.fairbeam.extract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * Finds where the next block of an Avro object container file starts at or after any byte offset,
 * so one file can be read in ranges, as Avro's own {@code DataFileReader.sync} does: a block starts
 * right after a sync marker, the 16 random bytes the header names and the writer puts after every
 * block. Bytes inside a block match them by chance with odds of 2<sup>-128</sup> per position.
 *
 * <p>Only data that holds this very file's marker (a record holding bytes of the file itself) can
 * make the search stop inside a block: the reader of the range before then ends its last block past
 * that point, which {@link AvroSource} reports as an error instead of reading records twice.
 */
final class AvroSync {
  private static final int SYNC_BYTES = 16;
  private static final int WINDOW_BYTES = 1 << 16;

  private AvroSync() {}

  /**
   * The offset of the first block start at or after {@code from} in the file open as {@code
   * channel}, of {@code size} bytes, whose header ends at {@code headerEnd} and whose sync marker
   * is {@code sync}; {@code size} if there is none.
   */
  static long next(SeekableByteChannel channel, long from, long size, byte[] sync, long headerEnd)
      throws IOException {
    if (from <= headerEnd) {
      return headerEnd;
    }
    byte[] window = new byte[WINDOW_BYTES];
    // A marker that ends at or after `from` starts at or after from - 16.
    long windowStart = from - SYNC_BYTES;
    while (windowStart + SYNC_BYTES <= size) {
      int length = readAt(channel, windowStart, window, size);
      if (length < SYNC_BYTES) {
        break;
      }
      for (int i = 0; i + SYNC_BYTES <= length; i++) {
        if (matches(window, i, sync)) {
          return windowStart + i + SYNC_BYTES;
        }
      }
      // The next window overlaps this one by the marker's length less one byte.
      windowStart += length - SYNC_BYTES + 1;
    }
    return size;
  }

  private static boolean matches(byte[] window, int at, byte[] sync) {
    for (int j = 0; j < SYNC_BYTES; j++) {
      if (window[at + j] != sync[j]) {
        return false;
      }
    }
    return true;
  }

  /** Reads up to a window's bytes at {@code position}; fewer only at the end of the file. */
  private static int readAt(SeekableByteChannel channel, long position, byte[] into, long size)
      throws IOException {
    int wanted = (int) Math.min(into.length, size - position);
    ByteBuffer buffer = ByteBuffer.wrap(into, 0, wanted);
    channel.position(position);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        break;
      }
    }
    return wanted - buffer.remaining();
  }
}
