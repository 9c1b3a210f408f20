package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.csv.CSVRecord;

/**
 * The columns of a CSV file with a header, and the {@code tf.train.Feature} type of each, inferred
 * from every value as pandas and TFX would infer it: a column whose non-blank values all parse as
 * integers is INT64, one whose values all parse as numbers is FLOAT (float32), any other is BYTES.
 * Blank cells are missing values and do not vote. Columns numeric by their role (label, prediction,
 * weight) stay numeric whatever a single cell holds.
 *
 * <p>The same inference serves {@code fairbeam convert} and CSV input to {@code evaluate}, so a CSV
 * file and the TFRecord converted from it evaluate to the same numbers.
 */
@Internal
public final class CsvSchema implements Serializable {
  private static final long serialVersionUID = 1L;

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

  /**
   * Infers the schema of {@code sources}, which must all have the same header. Only {@code wanted}
   * columns are typed (all columns when null).
   */
  public static CsvSchema infer(List<? extends Source> sources, Collection<String> wanted)
      throws IOException {
    return infer(sources, wanted, Set.of());
  }

  /**
   * Infers the schema of {@code sources}, with the {@code numeric} columns (the label, prediction
   * and weight the config reads) numeric by their role: INT64 if all their numeric cells are
   * integers, else FLOAT. A cell that is not a number there does not make the whole column text; it
   * is read as text and makes its own row a bad record.
   */
  public static CsvSchema infer(
      List<? extends Source> sources, Collection<String> wanted, Set<String> numeric)
      throws IOException {
    List<String> header = null;
    Map<String, Inference> inferences = new LinkedHashMap<>();
    for (Source source : sources) {
      try (InputStream in = source.open();
          CsvFile file = CsvFile.open(in, source.name())) {
        List<String> fileHeader = file.header();
        if (header == null) {
          header = new ArrayList<>(fileHeader);
          for (String column : header) {
            if (wanted == null || wanted.contains(column)) {
              inferences.put(column, new Inference(numeric.contains(column)));
            }
          }
        } else if (!header.equals(fileHeader)) {
          throw new IOException(
              source.name()
                  + ": CSV header "
                  + fileHeader
                  + " differs from the first file's header "
                  + header);
        }
        int[] columns = new int[inferences.size()];
        Inference[] typed = new Inference[inferences.size()];
        int i = 0;
        for (Map.Entry<String, Inference> entry : inferences.entrySet()) {
          columns[i] = header.indexOf(entry.getKey());
          typed[i++] = entry.getValue();
        }
        for (CSVRecord row = file.next(); row != null; row = file.next()) {
          for (int c = 0; c < columns.length; c++) {
            if (columns[c] < row.size()) {
              typed[c].observe(row.get(columns[c]));
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
    private final boolean numericRole;
    private boolean allIntegers = true;
    private boolean allNumbers = true;

    Inference(boolean numericRole) {
      this.numericRole = numericRole;
    }

    void observe(String value) {
      if (value.isEmpty() || (!allIntegers && !allNumbers)) {
        return;
      }
      if (numericRole && !isNumber(value)) {
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
    if (v.isEmpty()
        || v.endsWith("d")
        || v.endsWith("D")
        || v.endsWith("f")
        || v.endsWith("F")
        || v.contains("x")
        || v.contains("X")) {
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
