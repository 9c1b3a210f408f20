package io.fairbeam.extract;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the rows of one CSV file into {@link ExampleFeatures}, typing each needed column as the
 * {@link CsvSchema} says: INT64 cells are parsed as longs, FLOAT cells as float32 (the value {@code
 * tf.train.FloatList} would hold), BYTES cells as UTF-8. A blank cell is a missing feature. A cell
 * that is not a number in a numeric column (possible only in the columns numeric by their role) is
 * kept as its text, so the evaluation reports that row's field as not numeric.
 */
final class CsvExampleReader implements Closeable {
  private final String fileName;
  private final CsvFile file;
  private final CsvRowOffsets offsets;
  private final boolean indexKnown;
  private final int[] columnOfSlot;
  private final FeatureKind[] kindOfSlot;
  private long recordIndex = -1;
  private long byteOffset = -1;

  /** Reads all rows of the file {@code in}. */
  public CsvExampleReader(InputStream in, String fileName, CsvSchema schema, FeatureSet features)
      throws IOException {
    this(CsvRange.whole(new CsvRowOffsets(in, 0), fileName, -1), fileName, schema, features);
  }

  private CsvExampleReader(CsvRange range, String fileName, CsvSchema schema, FeatureSet features)
      throws IOException {
    this.fileName = fileName;
    this.file = range.file();
    this.offsets = range.offsets();
    this.indexKnown = range.first();
    if (!file.header().equals(schema.columns())) {
      file.close();
      throw new IOException(
          fileName
              + ": CSV header "
              + file.header()
              + " differs from the schema's header "
              + schema.columns());
    }
    this.columnOfSlot = new int[features.size()];
    this.kindOfSlot = new FeatureKind[features.size()];
    for (int slot = 0; slot < features.size(); slot++) {
      String name = features.name(slot);
      columnOfSlot[slot] = schema.columns().indexOf(name);
      kindOfSlot[slot] = schema.kind(name);
    }
  }

  /**
   * Reads the rows of the file open as {@code channel} that start in {@code [start, end)} (see
   * {@link CsvRange}).
   */
  static CsvExampleReader range(
      SeekableByteChannel channel,
      String fileName,
      CsvSchema schema,
      FeatureSet features,
      long start,
      long end)
      throws IOException {
    return new CsvExampleReader(
        CsvRange.open(channel, fileName, start, end), fileName, schema, features);
  }

  /**
   * Reads the next row into {@code example}; returns false at the end of the file.
   *
   * @throws MalformedRecordException if the row has the wrong number of cells
   * @throws IOException if the file cannot be parsed further (a quote that is never closed)
   */
  public boolean next(ExampleFeatures example) throws IOException, MalformedRecordException {
    CSVRecord row = file.next();
    if (row == null) {
      return false;
    }
    recordIndex++;
    byteOffset = offsets.takeNext();
    example.clear();
    String widthProblem = file.widthProblem(row);
    if (widthProblem != null) {
      throw new MalformedRecordException(file.line() + ": " + widthProblem);
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
      try {
        switch (kind) {
          case INT64 -> {
            long value = Long.parseLong(cell.strip());
            values.start(kind);
            values.addInt64(value);
          }
          case FLOAT -> {
            float value = (float) Double.parseDouble(cell.strip());
            values.start(kind);
            values.addFloat(value);
          }
          case BYTES -> addText(values, cell);
        }
      } catch (NumberFormatException e) {
        addText(values, cell);
      }
    }
    return true;
  }

  private static void addText(FeatureValues values, String cell) {
    byte[] utf8 = cell.getBytes(StandardCharsets.UTF_8);
    values.start(FeatureKind.BYTES);
    values.addBytes(utf8, 0, utf8.length);
  }

  /**
   * Zero-based index of the row last read (the header is not counted), or -1 in a range after the
   * first, which does not know it.
   */
  public long recordIndex() {
    return indexKnown ? recordIndex : -1;
  }

  /** The byte offset where the row last read starts in its file. */
  public long byteOffset() {
    return byteOffset;
  }

  public String fileName() {
    return fileName;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
