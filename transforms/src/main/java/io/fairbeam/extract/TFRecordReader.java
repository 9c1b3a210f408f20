package io.fairbeam.extract;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads the records of one TFRecord file, plain or GZIP-compressed, checking each record's
 * length and masked CRC32C. Corruption is reported with the file name, the record index and the
 * byte offset, never returned as data.
 *
 * <p>Compression is recognised from a {@code .gz}/{@code .gzip} name, or from the GZIP magic
 * bytes when the first bytes are not a valid record header.
 */
public final class TFRecordReader implements Closeable {
  private static final int MAX_RECORD_BYTES = Integer.MAX_VALUE - 16;

  private final InputStream in;
  private final String fileName;
  private final byte[] header = new byte[TFRecords.HEADER_BYTES];
  private final byte[] footer = new byte[TFRecords.FOOTER_BYTES];
  private byte[] buffer = new byte[1 << 12];
  private long recordIndex = -1;
  private long offset;

  private TFRecordReader(InputStream in, String fileName) {
    this.in = in;
    this.fileName = fileName;
  }

  /**
   * Opens a reader over {@code raw}, detecting GZIP compression; {@code fileName} names the file
   * in messages.
   */
  public static TFRecordReader open(InputStream raw, String fileName) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    String lower = fileName.toLowerCase(Locale.ROOT);
    boolean gzip = lower.endsWith(".gz") || lower.endsWith(".gzip");
    if (!gzip) {
      buffered.mark(TFRecords.HEADER_BYTES);
      byte[] start = buffered.readNBytes(TFRecords.HEADER_BYTES);
      buffered.reset();
      gzip = start.length >= 2
          && (start[0] & 0xFF) == 0x1f
          && (start[1] & 0xFF) == 0x8b
          && (start.length < TFRecords.HEADER_BYTES || !TFRecords.validHeader(start));
    }
    InputStream stream =
        gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
    return new TFRecordReader(stream, fileName);
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
    int headerRead = in.readNBytes(header, 0, header.length);
    if (headerRead == 0) {
      return -1;
    }
    if (headerRead < header.length) {
      throw corruption(recordOffset, "truncated record header (" + headerRead + " of 12 bytes)",
          false);
    }
    if (!TFRecords.validHeader(header)) {
      throw corruption(recordOffset, "length checksum mismatch (not a TFRecord file, or corrupt)",
          false);
    }
    long length = TFRecords.readLongLe(header, 0);
    if (length < 0 || length > MAX_RECORD_BYTES) {
      throw corruption(recordOffset, "record length " + length + " out of range", false);
    }
    int size = (int) length;
    if (buffer.length < size) {
      buffer = new byte[Math.max(size, Math.min(MAX_RECORD_BYTES, buffer.length * 2))];
    }
    int dataRead = in.readNBytes(buffer, 0, size);
    if (dataRead < size) {
      throw corruption(recordOffset,
          "truncated record data (" + dataRead + " of " + size + " bytes)", false);
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

  private TFRecordCorruptionException corruption(long at, String what, boolean recoverable) {
    return new TFRecordCorruptionException(
        String.format(Locale.ROOT, "%s: record %d", fileName, recordIndex),
        String.format(Locale.ROOT, "(byte offset %d): %s", at, what), recoverable);
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
