package io.fairbeam.extract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * Finds a record start of a CSV file at or after any byte offset, so one file can be read in
 * ranges. Whether a line break ends a record depends on whether it lies inside quotes, which only
 * the bytes before it say; so the search follows every state the parser could be in at the offset
 * ({@link CsvFraming}) until they agree, dropping those that run into something the parser refuses.
 * The quotes of a file usually settle it within a line or two. When they do not within {@link
 * #WINDOW_BYTES} (a file without quotes leaves "inside a quoted field" open for ever), the search
 * takes the offset to lie outside quotes.
 *
 * <p>The answer is therefore a guess only in that last case, and a wrong guess cannot go unnoticed:
 * the range before reads exactly up to the answer, and a quoted field still open there is an error
 * ({@link CsvFile}), never a record read twice or lost.
 */
final class CsvSync {
  static final int WINDOW_BYTES = 1 << 18;

  private static final int CHUNK_BYTES = 1 << 16;

  private CsvSync() {}

  /**
   * The offset of the first record that starts at or after {@code from}, or {@code size} if none
   * does.
   */
  static long next(SeekableByteChannel channel, long from, long size) throws IOException {
    if (from <= 0) {
      return 0;
    }
    if (from >= size) {
      return size;
    }
    // The hypotheses: each state the parser could be in before the byte at from - 1 (a line break
    // there makes from a line start); for each, the first record start at or after from.
    int[] states = new int[CsvFraming.ERROR];
    long[] firstStart = new long[CsvFraming.ERROR];
    for (int h = 0; h < states.length; h++) {
      states[h] = h;
      firstStart[h] = -1;
    }
    int merged = -1;
    long position = from - 1;
    long windowEnd = from + WINDOW_BYTES;
    byte[] chunk = new byte[CHUNK_BYTES];
    ByteBuffer buffer = ByteBuffer.wrap(chunk);
    while (position < size) {
      buffer.clear();
      channel.position(position);
      int n = channel.read(buffer);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++, position++) {
        int b = chunk[i] & 0xFF;
        if (merged >= 0) {
          if (position >= from && CsvFraming.startsRecord(merged, b)) {
            return position;
          }
          merged = CsvFraming.next(merged, b);
          continue;
        }
        if (position >= windowEnd) {
          return outsideQuotes(states, firstStart, size);
        }
        merged = stepAll(states, firstStart, position >= from ? position : -1, b);
        long agreed = agreedStart(states, firstStart);
        if (merged >= 0 && agreed >= 0) {
          // The live hypotheses (the others ran into what the parser refuses) saw the same start.
          return agreed;
        }
      }
    }
    return merged >= 0 ? size : outsideQuotes(states, firstStart, size);
  }

  /**
   * Advances every live hypothesis (ERROR: dead) by {@code b}, noting a record start at {@code
   * position} (-1: before the offset searched from); returns the state they all agree on, or -1
   * while they differ. When every hypothesis dies the parser refuses these bytes whatever came
   * before (the range that reads them reports it), and the search goes on as if outside quotes.
   */
  private static int stepAll(int[] states, long[] firstStart, long position, int b) {
    int agreed = -1;
    boolean differ = false;
    for (int h = 0; h < states.length; h++) {
      if (states[h] == CsvFraming.ERROR) {
        continue;
      }
      if (position >= 0 && firstStart[h] < 0 && CsvFraming.startsRecord(states[h], b)) {
        firstStart[h] = position;
      }
      states[h] = CsvFraming.next(states[h], b);
      if (states[h] == CsvFraming.ERROR) {
        continue;
      }
      if (agreed < 0) {
        agreed = states[h];
      } else if (agreed != states[h]) {
        differ = true;
      }
    }
    if (agreed < 0) {
      return CsvFraming.UNQUOTED;
    }
    return differ ? -1 : agreed;
  }

  /** The first record start every live hypothesis saw, or -1 if they saw none or differ. */
  private static long agreedStart(int[] states, long[] firstStart) {
    long agreed = -2;
    for (int h = 0; h < states.length; h++) {
      if (states[h] == CsvFraming.ERROR) {
        continue;
      }
      if (agreed == -2) {
        agreed = firstStart[h];
      } else if (agreed != firstStart[h]) {
        return -1;
      }
    }
    return agreed < 0 ? -1 : agreed;
  }

  /**
   * The first record start seen by the live hypotheses outside quotes (all of them if none is), or
   * {@code size} if none saw one.
   */
  private static long outsideQuotes(int[] states, long[] firstStart, long size) {
    boolean anyOutside = false;
    for (int state : states) {
      anyOutside |= state != CsvFraming.ERROR && !insideQuotes(state);
    }
    long first = Long.MAX_VALUE;
    for (int h = 0; h < states.length; h++) {
      boolean counts = states[h] != CsvFraming.ERROR && (!anyOutside || !insideQuotes(states[h]));
      if (counts && firstStart[h] >= 0) {
        first = Math.min(first, firstStart[h]);
      }
    }
    return first == Long.MAX_VALUE ? size : first;
  }

  private static boolean insideQuotes(int state) {
    return state == CsvFraming.QUOTED;
  }
}
