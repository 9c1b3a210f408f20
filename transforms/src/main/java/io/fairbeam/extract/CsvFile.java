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
  private final Place place;

  private CsvFile(
      String fileName,
      CSVParser parser,
      Iterator<CSVRecord> rows,
      List<String> header,
      Place place) {
    this.fileName = fileName;
    this.parser = parser;
    this.rows = rows;
    this.header = header;
    this.place = place;
  }

  /**
   * Where the parsed text lies in its file: from its start, or from {@code start} (a record start
   * after the header), up to {@code end} where the next range starts (-1: to the end of the file).
   */
  private record Place(long start, long end) {
    static final Place WHOLE_FILE = new Place(0, -1);

    /** Names parser line {@code line} (one-based) as a person finds it in the file. */
    String line(long line) {
      return start == 0 ? "line " + line : "line " + line + " counted from byte offset " + start;
    }
  }

  /**
   * Opens {@code in} and reads and checks its header.
   *
   * @throws IOException naming the file if it has no header, or the header names a column twice or
   *     not at all
   */
  static CsvFile open(InputStream in, String fileName) throws IOException {
    return open(in, fileName, -1);
  }

  /**
   * Opens {@code in}, the start of the file up to {@code end} where the file's next range starts
   * (-1: the whole file), and reads and checks its header.
   */
  static CsvFile open(InputStream in, String fileName, long end) throws IOException {
    Place place = end < 0 ? Place.WHOLE_FILE : new Place(0, end);
    CSVParser parser =
        CSVParser.parse(
            new InputStreamReader(withoutByteOrderMark(in), StandardCharsets.UTF_8), FORMAT);
    try {
      Iterator<CSVRecord> rows = parser.iterator();
      CSVRecord first = nextOrNull(rows, fileName, place);
      if (first == null) {
        throw new IOException(fileName + ": empty CSV file (no header line)");
      }
      List<String> header = first.toList();
      checkHeader(header, fileName);
      return new CsvFile(fileName, parser, rows, List.copyOf(header), place);
    } catch (IOException | RuntimeException e) {
      parser.close();
      throw e;
    }
  }

  /**
   * Opens {@code in}: the bytes of a range of the file from {@code start}, a record start after its
   * header, up to {@code end}, where the next range starts (-1: to the end of the file); the file's
   * {@code header} was read apart.
   */
  static CsvFile openRange(
      InputStream in, String fileName, List<String> header, long start, long end) {
    try {
      CSVParser parser =
          CSVParser.parse(
              new InputStreamReader(new BufferedInputStream(in, 1 << 16), StandardCharsets.UTF_8),
              FORMAT);
      return new CsvFile(
          fileName, parser, parser.iterator(), List.copyOf(header), new Place(start, end));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
  private static CSVRecord nextOrNull(Iterator<CSVRecord> rows, String fileName, Place place)
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
        String where = place.line(Long.parseLong(line.group(1)));
        if (place.end() >= 0) {
          throw new IOException(
              fileName
                  + ": "
                  + where
                  + ": a quoted field opens there and is still open at byte offset "
                  + place.end()
                  + ", where the file's next range starts: it is never closed, or line breaks"
                  + " inside it put that range's start inside it; read the file whole"
                  + " (--splitFiles=false)");
        }
        throw new IOException(
            fileName
                + ": "
                + where
                + ": a quoted field opens"
                + " there and is never closed (the file ends inside the quotes)");
      }
      Matcher at = AT_LINE.matcher(message);
      if (message.contains("Invalid character between encapsulated token and delimiter")
          && at.find()) {
        throw new IOException(
            fileName
                + ": "
                + place.line(Long.parseLong(at.group(1)))
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
    return nextOrNull(rows, fileName, place);
  }

  /**
   * Names the line where the row last returned ends ("line 7", or in a range after the first "line
   * 7 counted from byte offset 1048576"); a row with quoted line breaks starts earlier.
   */
  String line() {
    return place.line(parser.getCurrentLineNumber());
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
