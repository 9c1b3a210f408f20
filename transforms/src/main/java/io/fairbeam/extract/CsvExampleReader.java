package io.fairbeam.extract;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the rows of one CSV file into {@link ExampleFeatures}, typing each needed column as the
 * {@link CsvSchema} says: INT64 cells are parsed as longs, FLOAT cells as float32 (the value
 * {@code tf.train.FloatList} would hold), BYTES cells as UTF-8. A blank cell is a missing
 * feature.
 */
public final class CsvExampleReader implements Closeable {
  private final String fileName;
  private final CSVParser parser;
  private final Iterator<CSVRecord> rows;
  private final int[] columnOfSlot;
  private final FeatureKind[] kindOfSlot;
  private final int columnCount;
  private long recordIndex = -1;

  public CsvExampleReader(
      InputStream in, String fileName, CsvSchema schema, FeatureSet features) throws IOException {
    this.fileName = fileName;
    this.parser = CsvSchema.parser(in);
    if (!parser.getHeaderNames().equals(schema.columns())) {
      throw new IOException(fileName + ": CSV header " + parser.getHeaderNames()
          + " differs from the schema's header " + schema.columns());
    }
    this.columnCount = schema.columns().size();
    this.rows = parser.iterator();
    this.columnOfSlot = new int[features.size()];
    this.kindOfSlot = new FeatureKind[features.size()];
    for (int slot = 0; slot < features.size(); slot++) {
      String name = features.name(slot);
      columnOfSlot[slot] = schema.columns().indexOf(name);
      kindOfSlot[slot] = schema.kind(name);
    }
  }

  /**
   * Reads the next row into {@code example}; returns false at the end of the file.
   *
   * @throws MalformedRecordException if the row has the wrong number of cells
   */
  public boolean next(ExampleFeatures example) throws MalformedRecordException {
    CSVRecord row;
    try {
      if (!rows.hasNext()) {
        return false;
      }
      row = rows.next();
    } catch (UncheckedIOException | IllegalStateException e) {
      recordIndex++;
      throw new MalformedRecordException("unreadable CSV row: " + e.getMessage());
    }
    recordIndex++;
    example.clear();
    if (row.size() != columnCount) {
      throw new MalformedRecordException(
          "CSV row has " + row.size() + " cells, the header has " + columnCount);
    }
    for (int slot = 0; slot < columnOfSlot.length; slot++) {
      int column = columnOfSlot[slot];
      if (column < 0) {
        continue;
      }
      String cell = row.get(column);
      if (cell.isEmpty()) {
        continue;
      }
      FeatureValues values = example.slot(slot);
      FeatureKind kind = kindOfSlot[slot];
      values.start(kind);
      try {
        switch (kind) {
          case INT64 -> values.addInt64(Long.parseLong(cell.strip()));
          case FLOAT -> values.addFloat((float) Double.parseDouble(cell.strip()));
          case BYTES -> {
            byte[] utf8 = cell.getBytes(StandardCharsets.UTF_8);
            values.addBytes(utf8, 0, utf8.length);
          }
        }
      } catch (NumberFormatException e) {
        throw new MalformedRecordException(
            "column '" + columnName(slot) + "': \"" + cell + "\" is not " + kind);
      }
    }
    return true;
  }

  private String columnName(int slot) {
    return parser.getHeaderNames().get(columnOfSlot[slot]);
  }

  /** Zero-based index of the row last read (the header is not counted). */
  public long recordIndex() {
    return recordIndex;
  }

  public String fileName() {
    return fileName;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
