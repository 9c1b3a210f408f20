package io.fairbeam.extract;

import java.util.zip.CRC32C;

/**
 * The TFRecord framing shared by {@link TFRecordReader} and {@link TFRecordWriter}: each record is
 * a little-endian uint64 length, the masked CRC32C of those 8 bytes, the data, and the masked
 * CRC32C of the data.
 */
final class TFRecords {
  static final int HEADER_BYTES = 12;
  static final int FOOTER_BYTES = 4;
  private static final int MASK_DELTA = 0xa282ead8;

  private TFRecords() {}

  /** TFRecord's masked CRC32C of {@code data[offset, offset + length)}. */
  static int maskedCrc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }

  static long readLongLe(byte[] b, int p) {
    return (b[p] & 0xFFL)
        | (b[p + 1] & 0xFFL) << 8
        | (b[p + 2] & 0xFFL) << 16
        | (b[p + 3] & 0xFFL) << 24
        | (b[p + 4] & 0xFFL) << 32
        | (b[p + 5] & 0xFFL) << 40
        | (b[p + 6] & 0xFFL) << 48
        | (b[p + 7] & 0xFFL) << 56;
  }

  static int readIntLe(byte[] b, int p) {
    return (b[p] & 0xFF)
        | (b[p + 1] & 0xFF) << 8
        | (b[p + 2] & 0xFF) << 16
        | (b[p + 3] & 0xFF) << 24;
  }

  static void writeLongLe(byte[] b, int p, long v) {
    for (int i = 0; i < 8; i++) {
      b[p + i] = (byte) (v >>> (8 * i));
    }
  }

  static void writeIntLe(byte[] b, int p, int v) {
    for (int i = 0; i < 4; i++) {
      b[p + i] = (byte) (v >>> (8 * i));
    }
  }

  /** Whether {@code header} (12 bytes) is a valid record header. */
  static boolean validHeader(byte[] header) {
    return maskedCrc32c(header, 0, 8) == readIntLe(header, 8);
  }
}
