package io.fairbeam.extract;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;

/**
 * The rows of a CSV file that start in a byte range {@code [start, end)}: parsed from the first
 * record at or after {@code start} up to the first at or after {@code end} ({@link CsvSync}), so
 * that the readers of a file's adjacent ranges read each row once, with the offset of each row
 * ({@link CsvRowOffsets}). The range that starts at 0 reads the header as a whole read does; the
 * others read it apart, and do not know their rows' indexes.
 *
 * @param file the parser, past the header
 * @param offsets the offsets of the rows the parser returns
 * @param first whether the range starts at 0, so that rows are counted from the file's first
 */
record CsvRange(CsvFile file, CsvRowOffsets offsets, boolean first) {
  /** Opens the range {@code [start, end)} of the file open as {@code channel}. */
  static CsvRange open(SeekableByteChannel channel, String fileName, long start, long end)
      throws IOException {
    long size = channel.size();
    long to = end >= size ? size : CsvSync.next(channel, end, size);
    long nextRange = to < size ? to : -1;
    if (start == 0) {
      return whole(new CsvRowOffsets(ChannelRange.open(channel, 0, to), 0), fileName, nextRange);
    }
    List<String> header;
    try (CsvFile head = CsvFile.open(ChannelRange.open(channel, 0, size), fileName)) {
      header = head.header();
    }
    long from = CsvSync.next(channel, start, size);
    CsvRowOffsets offsets =
        new CsvRowOffsets(ChannelRange.open(channel, from, Math.max(from, to)), from);
    return new CsvRange(
        CsvFile.openRange(offsets, fileName, header, from, nextRange), offsets, false);
  }

  /**
   * Opens a file from its start, up to {@code end} where its next range starts (-1: all of it),
   * past its header; {@code offsets} follows its bytes.
   */
  static CsvRange whole(CsvRowOffsets offsets, String fileName, long end) throws IOException {
    CsvFile file = CsvFile.open(offsets, fileName, end);
    offsets.takeNext(); // the header's
    return new CsvRange(file, offsets, true);
  }
}
