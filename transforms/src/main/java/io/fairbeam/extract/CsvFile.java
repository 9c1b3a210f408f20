package io.fairbeam.extract;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One CSV file as people write it: RFC 4180 with a header line, a UTF-8 byte-order mark stripped,
 * blank lines ignored (as pandas does). The header must name every column once: a blank or
 * duplicate name is an error naming the column. Rows come with their line number, and a quote that
 * is never closed is an error naming the line where it opens, since the rest of the file is inside
 * it.
 */
final class CsvFile implements Closeable {
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).build();
  private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)");
  private static final Pattern AT_LINE = Pattern.compile("at line: (\\d+)");

  private final String fileName;
  private final CSVParser parser;
  private final Iterator<CSVRecord> rows;
  private final List<String> header;

  private CsvFile(
      String fileName, CSVParser parser, Iterator<CSVRecord> rows, List<String> header) {
    this.fileName = fileName;
    this.parser = parser;
    this.rows = rows;
    this.header = header;
  }

  /**
   * Opens {@code in} and reads and checks its header.
   *
   * @throws IOException naming the file if it has no header, or the header names a column twice or
   *     not at all
   */
  static CsvFile open(InputStream in, String fileName) throws IOException {
    CSVParser parser =
        CSVParser.parse(
            new InputStreamReader(withoutByteOrderMark(in), StandardCharsets.UTF_8), FORMAT);
    try {
      Iterator<CSVRecord> rows = parser.iterator();
      CSVRecord first = nextOrNull(rows, fileName);
      if (first == null) {
        throw new IOException(fileName + ": empty CSV file (no header line)");
      }
      List<String> header = first.toList();
      checkHeader(header, fileName);
      return new CsvFile(fileName, parser, rows, List.copyOf(header));
    } catch (IOException | RuntimeException e) {
      parser.close();
      throw e;
    }
  }

  private static InputStream withoutByteOrderMark(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    buffered.mark(3);
    byte[] start = buffered.readNBytes(3);
    if (start.length < 3
        || (start[0] & 0xFF) != 0xEF
        || (start[1] & 0xFF) != 0xBB
        || (start[2] & 0xFF) != 0xBF) {
      buffered.reset();
    }
    return buffered;
  }

  private static void checkHeader(List<String> header, String fileName) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      if (name.isBlank()) {
        throw new IOException(
            fileName
                + ": line 1: CSV header column "
                + (i + 1)
                + " of "
                + header.size()
                + " has no name; every column needs a unique name");
      }
      Integer earlier = seen.put(name, i);
      if (earlier != null) {
        throw new IOException(
            fileName
                + ": line 1: CSV header names column '"
                + name
                + "' twice (columns "
                + (earlier + 1)
                + " and "
                + (i + 1)
                + "); every column needs"
                + " a unique name");
      }
    }
  }

  /** The next record, or null at the end; a parse error becomes an IOException naming a line. */
  private static CSVRecord nextOrNull(Iterator<CSVRecord> rows, String fileName)
      throws IOException {
    try {
      return rows.hasNext() ? rows.next() : null;
    } catch (UncheckedIOException | IllegalStateException e) {
      String message =
          e.getCause() != null && e.getCause().getMessage() != null
              ? e.getCause().getMessage()
              : String.valueOf(e.getMessage());
      Matcher line = START_LINE.matcher(message);
      if (message.contains("EOF reached before encapsulated token finished") && line.find()) {
        throw new IOException(
            fileName
                + ": line "
                + line.group(1)
                + ": a quoted field opens"
                + " there and is never closed (the file ends inside the quotes)");
      }
      Matcher at = AT_LINE.matcher(message);
      if (message.contains("Invalid character between encapsulated token and delimiter")
          && at.find()) {
        throw new IOException(
            fileName
                + ": line "
                + at.group(1)
                + ": a quoted field is"
                + " followed by other characters before the next comma (a quote inside a quoted"
                + " field must be doubled: \"\")");
      }
      throw new IOException(
          fileName
              + ": unreadable CSV: "
              + message.replaceFirst(
                  "^IOException reading next record: java.io.IOException: ", ""));
    }
  }

  /** The column names, in order. */
  List<String> header() {
    return header;
  }

  /** The next data row, or null at the end of the file. */
  CSVRecord next() throws IOException {
    return nextOrNull(rows, fileName);
  }

  /**
   * The line (one-based) where the row last returned ends; a row with quoted line breaks starts
   * earlier.
   */
  long lineNumber() {
    return parser.getCurrentLineNumber();
  }

  /** What is wrong with a row's width, or null when it has one cell per column. */
  String widthProblem(CSVRecord row) {
    return row.size() == header.size()
        ? null
        : "CSV row has " + row.size() + " cells, the header has " + header.size();
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
