package io.fairbeam.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Passes the bytes of a CSV file (or of a range of it that starts at a record) to the parser and
 * notes the byte offset where each record starts ({@link CsvFraming}), so each row the parser
 * returns can be named, and sampled for confidence intervals, by an offset that does not depend on
 * where reading started. A UTF-8 byte-order mark at the start of the file is skipped, as the parser
 * skips it.
 */
final class CsvRowOffsets extends FilterInputStream {
  private long offset;
  private int state = CsvFraming.LINE_START;
  private long[] starts = new long[64];
  private int head;
  private int tail;
  private int bomChecked;

  /** Follows {@code in}, whose first byte is at {@code offset} of the file. */
  CsvRowOffsets(InputStream in, long offset) {
    super(in);
    this.offset = offset;
    this.bomChecked = offset == 0 ? 0 : 3;
  }

  /** The offset of the next record the parser returns, in order; -1 if none was seen. */
  long takeNext() {
    if (head == tail) {
      return -1;
    }
    return starts[head++];
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      follow(b);
    }
    return b;
  }

  @Override
  public int read(byte[] bytes, int off, int len) throws IOException {
    int n = super.read(bytes, off, len);
    int i = 0;
    while (i < n && bomChecked < 3) {
      follow(bytes[off + i++] & 0xFF);
    }
    // The hot path: one table lookup a byte, and a record start only at a line start.
    int s = state;
    long base = offset - i;
    for (; i < n; i++) {
      int b = bytes[off + i] & 0xFF;
      if (s == CsvFraming.LINE_START && b != '\n' && b != '\r') {
        add(base + i);
      }
      s = CsvFraming.next(s, b);
    }
    if (n > 0) {
      offset = base + n;
    }
    state = s;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    int read = read(scratch, 0, scratch.length);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void follow(int b) {
    if (bomChecked < 3) {
      if (b == BOM[bomChecked]) {
        bomChecked++;
        if (bomChecked == 3) {
          offset = 3; // a byte-order mark: the parser never sees it
        }
        return;
      }
      // Not a byte-order mark: the bytes held back are the file's first.
      int held = bomChecked;
      bomChecked = 3;
      for (int i = 0; i < held; i++) {
        frame(BOM[i]);
      }
    }
    frame(b);
  }

  private void frame(int b) {
    if (CsvFraming.startsRecord(state, b)) {
      add(offset);
    }
    state = CsvFraming.next(state, b);
    offset++;
  }

  private static final int[] BOM = {0xEF, 0xBB, 0xBF};

  private void add(long start) {
    if (tail == starts.length) {
      if (head > 0) {
        System.arraycopy(starts, head, starts, 0, tail - head);
        tail -= head;
        head = 0;
      }
      if (tail == starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
      }
    }
    starts[tail++] = start;
  }
}
