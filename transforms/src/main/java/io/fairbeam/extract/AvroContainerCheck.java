package io.fairbeam.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Follows the framing of an Avro object container file as its bytes pass to Avro's reader, and
 * turns what Avro would take for a normal end into an error: a file that ends inside the header or
 * inside a block (Avro's {@code DataFileStream} reads such a file to the last complete block and
 * reports no error), a sync marker that differs from the header's, or a block that claims more than
 * {@link #MAX_BLOCK_BYTES} (Avro would allocate it before reading a byte of it).
 *
 * <p>The errors name the block (zero-based) and the byte offset where it starts, so the reader can
 * add the file name. A file cut exactly after a block's sync marker is indistinguishable from a
 * complete one, as in every container format without a record count.
 *
 * <p>For reading a file in ranges ({@link #range}), the check can follow a header followed by the
 * blocks from a later offset (the offsets it reports are the file's), and it ends the stream at the
 * first block that starts at or after a given offset, so that Avro's reader, which reads ahead,
 * never sees a byte of the next range's blocks. A block starts right after a sync marker: the first
 * one right after the header's. As the check passes each block's header, it queues where the block
 * starts and how many records it holds ({@link #takeBlock}), so the reader can name each record by
 * its block even though Avro has read further.
 */
final class AvroContainerCheck extends FilterInputStream {
  /** The largest block accepted; Avro writers default to 64 KiB blocks. */
  public static final long MAX_BLOCK_BYTES = 256L << 20;

  private static final byte[] MAGIC = {'O', 'b', 'j', 1};
  private static final int SYNC_BYTES = 16;

  /** Where in the container the next byte belongs. */
  private enum Phase {
    MAGIC,
    MAP_COUNT,
    MAP_BYTE_SIZE,
    KEY_LENGTH,
    VALUE_LENGTH,
    SKIP,
    HEADER_SYNC,
    BLOCK_COUNT,
    BLOCK_SIZE,
    BLOCK_DATA,
    BLOCK_SYNC
  }

  private Phase phase = Phase.MAGIC;
  private Phase afterSkip;
  private long toSkip;
  private int position;
  private long varint;
  private int varintShift;
  private long entriesLeft;
  private final byte[] sync = new byte[SYNC_BYTES];
  private long blockIndex = -1;
  private long blockOffset;
  private long blockRecords;
  private long offset;
  private IOException failure;
  private final byte[] one = new byte[1];

  /** Where the blocks after the header come from, or -1 when they follow it in the file. */
  private final long resumeAt;

  /** The stream ends at the first block starting at or after this offset. */
  private final long stopAt;

  private long headerEnd = -1;
  private boolean stopped;

  /** Blocks whose header has passed, oldest first: their offset and record count. */
  private final ArrayDeque<long[]> blocks = new ArrayDeque<>();

  /** Follows a whole file. */
  public AvroContainerCheck(InputStream in) {
    this(in, -1, Long.MAX_VALUE);
  }

  private AvroContainerCheck(InputStream in, long resumeAt, long stopAt) {
    super(in);
    this.resumeAt = resumeAt;
    this.stopAt = stopAt;
  }

  /**
   * Follows {@code in}: a file's header and then, if {@code resumeAt} is not -1, the blocks that
   * start at {@code resumeAt} in the file; the stream ends before the first block that starts at or
   * after {@code stopAt} (0 gives the header alone).
   */
  public static AvroContainerCheck range(InputStream in, long resumeAt, long stopAt) {
    return new AvroContainerCheck(in, resumeAt, stopAt);
  }

  /** Where the first block starts: the header's length; -1 until the header has passed. */
  public long headerEnd() {
    return headerEnd;
  }

  /** The file's sync marker, once the header has passed. */
  public byte[] syncMarker() {
    return sync.clone();
  }

  /**
   * Where the stream ended: the start of the first block at or after the stop offset, or the file's
   * end; -1 before the stream has ended.
   */
  public long endOffset() {
    return stopped ? blockOffset : -1;
  }

  /**
   * The next block, in file order, whose records Avro decodes: {@code {offset, records}}; blocks
   * without records are passed over.
   *
   * @throws IllegalStateException if no block with records has passed
   */
  public long[] takeBlock() {
    while (true) {
      long[] block = blocks.poll();
      if (block == null) {
        throw new IllegalStateException("no block with records has passed the check");
      }
      if (block[1] > 0) {
        return block;
      }
    }
  }

  /** Names the block being read: "block 3 (byte offset 1234)", by offset alone in a later range. */
  public String blockName() {
    return resumeAt < 0
        ? String.format(Locale.ROOT, "block %d (byte offset %d)", blockIndex, blockOffset)
        : String.format(Locale.ROOT, "the block at byte offset %d", blockOffset);
  }

  /** The framing error found, or null. */
  public IOException failure() {
    return failure;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (stopped) {
      return -1;
    }
    int n = super.read(b, off, len);
    if (n < 0) {
      atEnd();
      stopped = true;
      blockOffset = offset;
      return -1;
    }
    int passed = follow(b, off, n);
    return stopped && passed == 0 ? -1 : passed;
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

  /** Reads what is left (there should be nothing) and checks the file ended at a block end. */
  public void finish() throws IOException {
    byte[] rest = new byte[8192];
    while (read(rest, 0, rest.length) >= 0) {
      // Bytes Avro did not ask for are checked all the same.
    }
  }

  private void atEnd() throws IOException {
    if (phase == Phase.BLOCK_COUNT && varintShift == 0) {
      return;
    }
    throw fail(
        phase.compareTo(Phase.HEADER_SYNC) <= 0
            ? String.format(
                Locale.ROOT, "(byte offset %d): truncated inside the Avro file header", offset)
            : String.format(
                Locale.ROOT,
                "%s: truncated inside the block (the file ends at byte %d)",
                blockName(),
                offset));
  }

  private IOException fail(String message) {
    failure = new IOException(message);
    return failure;
  }

  /**
   * Follows {@code b[off, off + n)}; returns how many of those bytes belong to the stream: fewer
   * than {@code n} when a block at or after the stop offset starts among them.
   */
  private int follow(byte[] b, int off, int n) throws IOException {
    int i = off;
    int end = off + n;
    while (i < end) {
      if (phase == Phase.SKIP || phase == Phase.BLOCK_DATA) {
        int step = (int) Math.min(toSkip, end - i);
        i += step;
        offset += step;
        toSkip -= step;
        if (toSkip == 0) {
          phase = phase == Phase.SKIP ? afterSkip : Phase.BLOCK_SYNC;
          position = 0;
        }
        continue;
      }
      byte value = b[i++];
      offset++;
      switch (phase) {
        case MAGIC -> {
          if (value != MAGIC[position]) {
            throw fail("(byte offset 0): not an Avro object container file (no 'Obj' magic)");
          }
          if (++position == MAGIC.length) {
            phase = Phase.MAP_COUNT;
          }
        }
        case HEADER_SYNC, BLOCK_SYNC -> {
          if (phase == Phase.HEADER_SYNC) {
            sync[position] = value;
          } else if (sync[position] != value) {
            throw fail(blockName() + ": sync marker mismatch after the block (damaged block)");
          }
          if (++position == SYNC_BYTES) {
            blockStarts();
            if (blockOffset >= stopAt) {
              stopped = true;
              return i - off;
            }
          }
        }
        default -> {
          if (varintByte(value)) {
            endOfVarint(zigzag(varint));
          }
        }
      }
    }
    return n;
  }

  /** A sync marker has ended: a block starts, in the file or, after the header, at resumeAt. */
  private void blockStarts() {
    phase = Phase.BLOCK_COUNT;
    blockIndex++;
    if (headerEnd < 0) {
      headerEnd = offset;
      if (resumeAt >= 0) {
        offset = resumeAt;
      }
    }
    blockOffset = offset;
  }

  /** Adds a byte to the varint being read; true when it was the last. */
  private boolean varintByte(byte value) throws IOException {
    if (varintShift > 63) {
      throw fail(
          headerEnd < 0
              ? String.format(
                  Locale.ROOT, "(byte offset %d): malformed length in the Avro framing", offset)
              : blockName() + ": malformed length in the Avro framing");
    }
    varint |= (long) (value & 0x7F) << varintShift;
    varintShift += 7;
    return (value & 0x80) == 0;
  }

  private static long zigzag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  private void endOfVarint(long value) throws IOException {
    varint = 0;
    varintShift = 0;
    switch (phase) {
      case MAP_COUNT -> {
        if (value == 0) {
          phase = Phase.HEADER_SYNC;
          position = 0;
        } else {
          entriesLeft = Math.abs(value);
          phase = value < 0 ? Phase.MAP_BYTE_SIZE : Phase.KEY_LENGTH;
        }
      }
      case MAP_BYTE_SIZE -> phase = Phase.KEY_LENGTH;
      case KEY_LENGTH -> skipThen(checkedLength(value, "header key"), Phase.VALUE_LENGTH);
      case VALUE_LENGTH -> {
        entriesLeft--;
        skipThen(
            checkedLength(value, "header value"),
            entriesLeft == 0 ? Phase.MAP_COUNT : Phase.KEY_LENGTH);
      }
      case BLOCK_COUNT -> {
        if (value < 0) {
          throw fail(blockName() + ": negative record count " + value + " (damaged block)");
        }
        blockRecords = value;
        phase = Phase.BLOCK_SIZE;
      }
      case BLOCK_SIZE -> {
        if (value < 0 || value > MAX_BLOCK_BYTES) {
          throw fail(
              String.format(
                  Locale.ROOT,
                  "%s: block size %d out of range (damaged block, or larger than %d MiB)",
                  blockName(),
                  value,
                  MAX_BLOCK_BYTES >> 20));
        }
        blocks.add(new long[] {blockOffset, blockRecords});
        toSkip = value;
        phase = value == 0 ? Phase.BLOCK_SYNC : Phase.BLOCK_DATA;
        position = 0;
      }
      default -> throw new IllegalStateException("no varint in phase " + phase);
    }
  }

  private long checkedLength(long value, String what) throws IOException {
    if (value < 0 || value > MAX_BLOCK_BYTES) {
      throw fail(
          String.format(
              Locale.ROOT,
              "(byte offset %d): %s length %d out of range" + " (damaged Avro file header)",
              offset,
              what,
              value));
    }
    return value;
  }

  private void skipThen(long length, Phase next) {
    if (length == 0) {
      phase = next;
      return;
    }
    toSkip = length;
    afterSkip = next;
    phase = Phase.SKIP;
  }
}
