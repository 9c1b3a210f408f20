package io.fairbeam.extract;

import io.fairbeam.util.ExceptionText;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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

  private TFRecordReader(InputStream in, String fileName, boolean compressed) {
    this.in = in;
    this.fileName = fileName;
    this.compressed = compressed;
  }

  /**
   * Opens a reader over {@code raw}, detecting GZIP compression; {@code fileName} names the file in
   * messages.
   */
  public static TFRecordReader open(InputStream raw, String fileName) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    String lower = fileName.toLowerCase(Locale.ROOT);
    boolean gzip = lower.endsWith(".gz") || lower.endsWith(".gzip");
    if (!gzip) {
      buffered.mark(TFRecords.HEADER_BYTES);
      byte[] start = buffered.readNBytes(TFRecords.HEADER_BYTES);
      buffered.reset();
      gzip =
          start.length >= 2
              && (start[0] & 0xFF) == 0x1f
              && (start[1] & 0xFF) == 0x8b
              && (start.length < TFRecords.HEADER_BYTES || !TFRecords.validHeader(start));
    }
    if (!gzip) {
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
   * Reads the next record into {@link #buffer()} and returns its length, or -1 at the end of the
   * file.
   *
   * @throws TFRecordCorruptionException if the record is truncated or fails its checksum; after a
   *     recoverable one (data checksum), the next call reads the following record
   */
  public int next() throws IOException {
    recordIndex++;
    long recordOffset = offset;
    try {
      return readRecord(recordOffset);
    } catch (TFRecordCorruptionException e) {
      throw e;
    } catch (IOException e) {
      String what = compressed ? "damaged GZIP data at or after this record: " : "read error: ";
      throw corruption(recordOffset, what + ExceptionText.describe(e), false);
    }
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
    return new TFRecordCorruptionException(
        String.format(Locale.ROOT, "%s: record %d", fileName, recordIndex),
        String.format(
            Locale.ROOT,
            "(byte offset %d%s): %s",
            at,
            compressed ? " of the uncompressed data" : "",
            what),
        recoverable);
  }

  /** The bytes of the record last returned by {@link #next()}, valid until the next call. */
  public byte[] buffer() {
    return buffer;
  }

  /** Zero-based index of the record last read. */
  public long recordIndex() {
    return recordIndex;
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
