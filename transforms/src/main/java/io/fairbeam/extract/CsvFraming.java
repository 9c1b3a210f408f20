package io.fairbeam.extract;

/**
 * Where CSV records start, byte by byte, as {@link CsvFile}'s parser (Commons CSV, RFC 4180, blank
 * lines ignored) splits them: a state machine over the bytes that knows whether it is at a line
 * start, in an unquoted field, inside quotes or just after a closing quote. UTF-8 needs no decoding
 * for this: every byte of a multi-byte character is 0x80 or above, never a comma, quote or line
 * break.
 *
 * <p>It serves two purposes: finding a record start near any byte offset of a file ({@link
 * CsvSync}), and naming each row of a file by the byte offset where it starts ({@link
 * CsvRowOffsets}).
 */
final class CsvFraming {
  /** At the start of a line: the next byte that is not a line break starts a record. */
  static final int LINE_START = 0;

  /** After a comma: a quote here opens a quoted field. */
  static final int FIELD_START = 1;

  static final int UNQUOTED = 2;
  static final int QUOTED = 3;

  /** A quote inside quotes: the next byte says whether it closed the field or was doubled. */
  static final int QUOTE_SEEN = 4;

  /** After a closing quote and any whitespace: only a comma or a line break may follow. */
  static final int AFTER_CLOSE = 5;

  /** Something the parser refuses, such as a letter after a closing quote. */
  static final int ERROR = 6;

  static final int STATES = 7;

  /**
   * {@link #step} as a table: the state after byte {@code b} in {@code state} is at {@code state *
   * 256 + b}.
   */
  private static final byte[] NEXT = new byte[STATES * 256];

  static {
    for (int state = 0; state < STATES; state++) {
      for (int b = 0; b < 256; b++) {
        NEXT[state * 256 + b] = (byte) step(state, b);
      }
    }
  }

  private CsvFraming() {}

  /** As {@link #step}, by table lookup, for the per-byte path. */
  static int next(int state, int b) {
    return NEXT[(state << 8) | b];
  }

  /** The state after {@code b} (a byte, 0 to 255) in {@code state}. */
  static int step(int state, int b) {
    switch (state) {
      case LINE_START:
        if (b == '\n' || b == '\r') {
          return LINE_START;
        }
        return afterFieldStart(b);
      case FIELD_START:
        if (b == '\n' || b == '\r') {
          return LINE_START;
        }
        return afterFieldStart(b);
      case UNQUOTED:
        if (b == ',') {
          return FIELD_START;
        }
        return b == '\n' || b == '\r' ? LINE_START : UNQUOTED;
      case QUOTED:
        return b == '"' ? QUOTE_SEEN : QUOTED;
      case QUOTE_SEEN:
        if (b == '"') {
          return QUOTED;
        }
        return afterClose(b);
      case AFTER_CLOSE:
        return afterClose(b);
      default:
        return ERROR;
    }
  }

  /**
   * Whether reading {@code b} in {@code state} starts a record: the first byte of a line that is
   * not a line break.
   */
  static boolean startsRecord(int state, int b) {
    return state == LINE_START && b != '\n' && b != '\r';
  }

  private static int afterFieldStart(int b) {
    if (b == ',') {
      return FIELD_START;
    }
    return b == '"' ? QUOTED : UNQUOTED;
  }

  private static int afterClose(int b) {
    if (b == ',') {
      return FIELD_START;
    }
    if (b == '\n' || b == '\r') {
      return LINE_START;
    }
    // Commons CSV skips whitespace after a closing quote (Character.isWhitespace); a byte of a
    // multi-byte character may belong to such whitespace, so it is let through here too.
    if (b == ' ' || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F) || b >= 0x80) {
      return AFTER_CLOSE;
    }
    return ERROR;
  }
}
