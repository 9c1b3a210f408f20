package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The columns of a CSV file with a header, and the {@code tf.train.Feature} type of each,
 * inferred from every value as pandas and TFX would infer it: a column whose non-blank values
 * all parse as integers is INT64, one whose values all parse as numbers is FLOAT (float32), any
 * other is BYTES. Blank cells are missing values and do not vote.
 *
 * <p>The same inference serves {@code fairbeam convert} and CSV input to {@code evaluate}, so a
 * CSV file and the TFRecord converted from it evaluate to the same numbers.
 */
public final class CsvSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The CSV dialect: RFC 4180 with a header line. */
  static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();

  private final List<String> columns;
  private final Map<String, FeatureKind> kinds;

  private CsvSchema(List<String> columns, Map<String, FeatureKind> kinds) {
    this.columns = List.copyOf(columns);
    this.kinds = kinds;
  }

  public List<String> columns() {
    return columns;
  }

  /** The inferred type of {@code column}. */
  public FeatureKind kind(String column) {
    return kinds.get(column);
  }

  /** A named source of CSV text: a file name for messages and a way to open it. */
  public interface Source {
    String name();

    InputStream open() throws IOException;

    /** A local file as a source. */
    static Source of(java.nio.file.Path file) {
      return new Source() {
        @Override
        public String name() {
          return file.toString();
        }

        @Override
        public InputStream open() throws IOException {
          return java.nio.file.Files.newInputStream(file);
        }
      };
    }
  }

  static CSVParser parser(InputStream in) throws IOException {
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    return CSVParser.parse(reader, FORMAT);
  }

  /**
   * Infers the schema of {@code sources}, which must all have the same header. Only {@code
   * wanted} columns are typed (all columns when null).
   */
  public static CsvSchema infer(List<? extends Source> sources, Collection<String> wanted)
      throws IOException {
    List<String> header = null;
    Map<String, Inference> inferences = new LinkedHashMap<>();
    for (Source source : sources) {
      try (InputStream in = source.open();
          CSVParser parser = parser(in)) {
        List<String> fileHeader = parser.getHeaderNames();
        if (fileHeader.isEmpty()) {
          throw new IOException(source.name() + ": empty CSV file (no header line)");
        }
        if (header == null) {
          header = new ArrayList<>(fileHeader);
          for (String column : header) {
            if (wanted == null || wanted.contains(column)) {
              inferences.put(column, new Inference());
            }
          }
        } else if (!header.equals(fileHeader)) {
          throw new IOException(source.name() + ": CSV header " + fileHeader
              + " differs from the first file's header " + header);
        }
        for (CSVRecord row : parser) {
          for (Map.Entry<String, Inference> entry : inferences.entrySet()) {
            if (row.isMapped(entry.getKey()) && row.isSet(entry.getKey())) {
              entry.getValue().observe(row.get(entry.getKey()));
            }
          }
        }
      }
    }
    if (header == null) {
      throw new IOException("no CSV files to read");
    }
    Map<String, FeatureKind> kinds = new LinkedHashMap<>();
    inferences.forEach((column, inference) -> kinds.put(column, inference.kind()));
    return new CsvSchema(header, kinds);
  }

  /** Tracks whether every value seen so far is an integer, or a number. */
  private static final class Inference {
    private boolean allIntegers = true;
    private boolean allNumbers = true;

    void observe(String value) {
      if (value.isEmpty() || (!allIntegers && !allNumbers)) {
        return;
      }
      if (allIntegers && !isInteger(value)) {
        allIntegers = false;
      }
      if (allNumbers && !allIntegers && !isNumber(value)) {
        allNumbers = false;
      }
    }

    FeatureKind kind() {
      if (allIntegers) {
        return FeatureKind.INT64;
      }
      return allNumbers ? FeatureKind.FLOAT : FeatureKind.BYTES;
    }
  }

  static boolean isInteger(String value) {
    try {
      Long.parseLong(value.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static boolean isNumber(String value) {
    String v = value.strip();
    if (v.isEmpty() || v.endsWith("d") || v.endsWith("D") || v.endsWith("f") || v.endsWith("F")
        || v.contains("x") || v.contains("X")) {
      return false;
    }
    try {
      Double.parseDouble(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
