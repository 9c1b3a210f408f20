package io.fairbeam.extract;

import io.fairbeam.util.ExceptionText;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.Locale;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the records of one TFRecord file, plain or GZIP-compressed, checking each record's length
 * and masked CRC32C. Corruption is reported with the file name, the record index and the byte
 * offset, never returned as data.
 *
 * <p>Compression is recognised from a {@code .gz}/{@code .gzip} name, or from the GZIP magic bytes
 * when the first bytes are not a valid record header. Every member of a multi-member GZIP file
 * ({@code cat a.gz b.gz}) is read; a damaged member, a bad GZIP checksum or bytes after the last
 * member are corruption, not the end of the file.
 *
 * <p>An uncompressed file can be read in ranges ({@link #openRange}), each by its own reader, every
 * record by exactly one of them.
 *
 * <p>Memory is bounded: a record longer than {@link #MAX_RECORD_BYTES} is skipped as corrupt (its
 * framing is intact), and a record's buffer grows only as its bytes actually arrive, so a damaged
 * header claiming gigabytes cannot exhaust the heap.
 */
@Internal
public final class TFRecordReader implements Closeable {
  /** The longest record read; a {@code tf.Example} this large is not an evaluation example. */
  public static final int MAX_RECORD_BYTES = 256 << 20;

  private static final int GROWTH_STEP = 1 << 20;

  private final InputStream in;
  private final String fileName;
  private final boolean compressed;
  private final byte[] header = new byte[TFRecords.HEADER_BYTES];
  private final byte[] footer = new byte[TFRecords.FOOTER_BYTES];
  private byte[] buffer = new byte[1 << 12];
  private long recordIndex = -1;
  private long offset;
  private long recordOffset = -1;

  /** False when this reader started after the first record and does not know the indexes. */
  private final boolean indexKnown;

  /** The range's end: the reader stops at the first record starting at or after it. */
  private final long end;

  /** The file, for finding the next range's start; null when the whole file is read. */
  private final SeekableByteChannel channel;

  private final long size;

  /** Where the next range starts reading (see {@link TFRecordSync}); -1 until needed. */
  private long nextRangeStart = -1;

  private TFRecordReader(InputStream in, String fileName, boolean compressed) {
    this(in, fileName, compressed, 0, true, Long.MAX_VALUE, null, -1);
  }

  private TFRecordReader(
      InputStream in,
      String fileName,
      boolean compressed,
      long offset,
      boolean indexKnown,
      long end,
      SeekableByteChannel channel,
      long size) {
    this.in = in;
    this.fileName = fileName;
    this.compressed = compressed;
    this.offset = offset;
    this.indexKnown = indexKnown;
    this.end = end;
    this.channel = channel;
    this.size = size;
  }

  /**
   * Opens a reader over {@code raw}, detecting GZIP compression; {@code fileName} names the file in
   * messages.
   */
  public static TFRecordReader open(InputStream raw, String fileName) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(TFRecords.HEADER_BYTES);
    byte[] start = buffered.readNBytes(TFRecords.HEADER_BYTES);
    buffered.reset();
    if (!isGzip(fileName, start)) {
      return new TFRecordReader(buffered, fileName, false);
    }
    try {
      InputStream inflated = new GzipCompressorInputStream(buffered, true);
      return new TFRecordReader(new BufferedInputStream(inflated, 1 << 16), fileName, true);
    } catch (IOException e) {
      throw new TFRecordCorruptionException(
          fileName + ": record 0",
          "(byte offset 0): not a readable GZIP file: " + ExceptionText.describe(e),
          false);
    }
  }

  /**
   * Opens a reader over the records of {@code channel} that start in {@code [start, end)}: the
   * first is the first intact record at or after {@code start} ({@link TFRecordSync}), and the
   * reader goes on past {@code end} up to where the range after it starts, so the readers of
   * adjacent ranges read every record once. A GZIP file cannot be read in ranges: the range that
   * starts at 0 reads all of it, the others read nothing. Records of a range after the first have
   * no index ({@link #recordIndex()} is -1) and are named by their byte offset.
   */
  public static TFRecordReader openRange(
      SeekableByteChannel channel, String fileName, long start, long end) throws IOException {
    long size = channel.size();
    byte[] first = new byte[TFRecords.HEADER_BYTES];
    channel.position(0);
    int firstLength = Channels.newInputStream(channel).readNBytes(first, 0, first.length);
    if (isGzip(fileName, Arrays.copyOf(first, firstLength))) {
      channel.position(0);
      return start == 0
          ? open(Channels.newInputStream(channel), fileName)
          : new TFRecordReader(InputStream.nullInputStream(), fileName, true);
    }
    long from = start == 0 ? 0 : TFRecordSync.next(channel, start, size);
    channel.position(from);
    InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    return new TFRecordReader(in, fileName, false, from, start == 0, end, channel, size);
  }

  /**
   * Whether a file named {@code fileName} that begins with {@code start} (its first 12 bytes, fewer
   * if it is shorter) is GZIP-compressed.
   */
  private static boolean isGzip(String fileName, byte[] start) {
    if (RecordFormat.isGzipName(fileName)) {
      return true;
    }
    return start.length >= 2
        && (start[0] & 0xFF) == 0x1f
        && (start[1] & 0xFF) == 0x8b
        && (start.length < TFRecords.HEADER_BYTES || !TFRecords.validHeader(start));
  }

  /**
   * Reads the next record into {@link #buffer()} and returns its length, or -1 at the end of the
   * file (of the range, for a reader from {@link #openRange}).
   *
   * @throws TFRecordCorruptionException if the record is truncated or fails its checksum; after a
   *     recoverable one (data checksum), the next call reads the following record
   */
  public int next() throws IOException {
    if (offset >= end && !rangeGoesOn()) {
      return -1;
    }
    recordIndex++;
    recordOffset = offset;
    try {
      return readRecord(recordOffset);
    } catch (TFRecordCorruptionException e) {
      throw e;
    } catch (IOException e) {
      String what = compressed ? "damaged GZIP data at or after this record: " : "read error: ";
      throw corruption(recordOffset, what + ExceptionText.describe(e), false);
    }
  }

  /**
   * Whether a range reader past its end reads on: up to where the next range starts, which lies
   * past the end when records there are damaged. A start inside the record just read means a
   * record's data holds a whole record, which the next range took for a record of the file.
   */
  private boolean rangeGoesOn() throws IOException {
    if (nextRangeStart < 0) {
      long position = channel.position();
      nextRangeStart = TFRecordSync.next(channel, end, size);
      channel.position(position);
    }
    if (offset > nextRangeStart) {
      throw new TFRecordCorruptionException(
          location(recordOffset),
          String.format(
              Locale.ROOT,
              "this file cannot be read in ranges: the data of the record at byte offset %d holds"
                  + " a whole TFRecord record at byte offset %d; read the file whole"
                  + " (--splitFiles=false)",
              recordOffset,
              nextRangeStart),
          false);
    }
    return offset < nextRangeStart;
  }

  private int readRecord(long recordOffset) throws IOException {
    int headerRead = in.readNBytes(header, 0, header.length);
    if (headerRead == 0) {
      return -1;
    }
    if (headerRead < header.length) {
      throw corruption(
          recordOffset, "truncated record header (" + headerRead + " of 12 bytes)", false);
    }
    if (!TFRecords.validHeader(header)) {
      throw corruption(
          recordOffset, "length checksum mismatch (not a TFRecord file, or corrupt)", false);
    }
    long length = TFRecords.readLongLe(header, 0);
    if (length < 0) {
      throw corruption(recordOffset, "record length " + length + " out of range", false);
    }
    if (length > MAX_RECORD_BYTES) {
      String what =
          "record of "
              + length
              + " bytes is longer than the "
              + (MAX_RECORD_BYTES >> 20)
              + " MiB limit";
      try {
        in.skipNBytes(length + TFRecords.FOOTER_BYTES);
      } catch (EOFException e) {
        throw corruption(recordOffset, what + ", and the file ends inside it", false);
      }
      offset += TFRecords.HEADER_BYTES + length + TFRecords.FOOTER_BYTES;
      throw corruption(recordOffset, what, true);
    }
    int size = (int) length;
    int dataRead = readData(size);
    if (dataRead < size) {
      throw corruption(
          recordOffset, "truncated record data (" + dataRead + " of " + size + " bytes)", false);
    }
    int footerRead = in.readNBytes(footer, 0, footer.length);
    if (footerRead < footer.length) {
      throw corruption(recordOffset, "truncated record (data checksum missing)", false);
    }
    offset += TFRecords.HEADER_BYTES + size + TFRecords.FOOTER_BYTES;
    if (TFRecords.maskedCrc32c(buffer, 0, size) != TFRecords.readIntLe(footer, 0)) {
      throw corruption(recordOffset, "data checksum mismatch", true);
    }
    return size;
  }

  /**
   * Reads {@code size} bytes into the buffer, growing it at most a step ahead of the bytes that
   * arrived; returns how many bytes were read (fewer at the end of the file).
   */
  private int readData(int size) throws IOException {
    int read = 0;
    while (read < size) {
      if (buffer.length == read) {
        buffer =
            Arrays.copyOf(
                buffer, (int) Math.min(size, Math.max((long) buffer.length * 2, GROWTH_STEP)));
      }
      int chunk = Math.min(size, buffer.length) - read;
      int n = in.readNBytes(buffer, read, chunk);
      read += n;
      if (n < chunk) {
        break;
      }
    }
    return read;
  }

  private TFRecordCorruptionException corruption(long at, String what, boolean recoverable) {
    if (!indexKnown) {
      return new TFRecordCorruptionException(location(at), what, recoverable);
    }
    return new TFRecordCorruptionException(
        location(at),
        String.format(
            Locale.ROOT,
            "(byte offset %d%s): %s",
            at,
            compressed ? " of the uncompressed data" : "",
            what),
        recoverable);
  }

  private String location(long at) {
    return RecordLocation.describe(fileName, indexKnown ? recordIndex : -1, at);
  }

  /** The bytes of the record last returned by {@link #next()}, valid until the next call. */
  public byte[] buffer() {
    return buffer;
  }

  /**
   * Zero-based index of the record last read, or -1 when this reader reads a range after the first
   * and does not know it.
   */
  public long recordIndex() {
    return indexKnown ? recordIndex : -1;
  }

  /** Byte offset of the record last read (in the uncompressed data of a GZIP file). */
  public long recordOffset() {
    return recordOffset;
  }

  /** A copy of the record last returned by {@link #next()}. */
  public byte[] copy(int length) {
    return Arrays.copyOf(buffer, length);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
