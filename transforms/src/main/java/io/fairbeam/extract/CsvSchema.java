package io.fairbeam.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  /**
   * A named source of CSV text: a file name for messages and a way to open it; one that can also be
   * opened as a channel and knows its size is typed in ranges, by several threads.
   */
  public interface Source {
    String name();

    InputStream open() throws IOException;

    /** The source as a seekable channel, or null if it cannot be read in ranges. */
    default SeekableByteChannel openChannel() throws IOException {
      return null;
    }

    /** The source's size in bytes, or -1 if unknown. */
    default long size() {
      return -1;
    }

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

        @Override
        public SeekableByteChannel openChannel() throws IOException {
          return java.nio.file.Files.newByteChannel(file);
        }

        @Override
        public long size() {
          try {
            return java.nio.file.Files.size(file);
          } catch (IOException e) {
            return -1; // read whole: opening it names the problem
          }
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
    return infer(sources, wanted, numeric, MIN_SCAN_RANGE_BYTES);
  }

  /**
   * As {@link #infer(List, Collection, Set)}, typing a file larger than a core's share of the input
   * in ranges of at least {@code minRangeBytes}.
   */
  public static CsvSchema infer(
      List<? extends Source> sources,
      Collection<String> wanted,
      Set<String> numeric,
      long minRangeBytes)
      throws IOException {
    if (sources.isEmpty()) {
      throw new IOException("no CSV files to read");
    }
    // Files, and byte ranges of large files, are scanned in parallel, one per core; their types
    // merge, since a column's type is a conjunction over its cells. Errors are reported for the
    // first file (and range) in order that has one.
    int cores = Runtime.getRuntime().availableProcessors();
    List<Scan> plan = plan(sources, cores, minRangeBytes);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(plan.size(), cores));
    List<Future<FileTypes>> scans = new ArrayList<>();
    try {
      for (Scan scan : plan) {
        scans.add(pool.submit(() -> FileTypes.scan(scan, wanted, numeric)));
      }
      FileTypes first = null;
      for (int f = 0; f < scans.size(); f++) {
        FileTypes types = result(scans.get(f));
        if (first == null) {
          first = types;
        } else if (!first.header.equals(types.header)) {
          throw new IOException(
              plan.get(f).source().name()
                  + ": CSV header "
                  + types.header
                  + " differs from the first file's header "
                  + first.header);
        } else {
          first.merge(types);
        }
      }
      Map<String, FeatureKind> kinds = new LinkedHashMap<>();
      first.inferences.forEach((column, inference) -> kinds.put(column, inference.kind()));
      return new CsvSchema(first.header, kinds);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The smallest range of a file typed by a thread of its own, unless the caller says. */
  static final long MIN_SCAN_RANGE_BYTES = 16L << 20;

  /** A file, or the byte range {@code [start, end)} of one (end -1: the whole file). */
  private record Scan(Source source, long start, long end) {}

  /**
   * The files whole, and those larger than a quarter of a core's share (and than {@code
   * minRangeBytes}) that can be read in ranges cut into equal ranges, in file order.
   */
  private static List<Scan> plan(List<? extends Source> sources, int cores, long minRangeBytes) {
    long total = 0;
    for (Source source : sources) {
      total += Math.max(1, source.size());
    }
    // Four pieces a core, taken by whichever thread is free, even out threads that run slower.
    long share = ByteRanges.share(total, 4L * cores, minRangeBytes);
    List<Scan> plan = new ArrayList<>();
    for (Source source : sources) {
      long size = source.size();
      if (size <= share) {
        plan.add(new Scan(source, 0, -1));
        continue;
      }
      long[] bounds = ByteRanges.bounds(size, share);
      for (int i = 0; i + 1 < bounds.length; i++) {
        plan.add(new Scan(source, bounds[i], bounds[i + 1]));
      }
    }
    return plan;
  }

  private static FileTypes result(Future<FileTypes> scan) throws IOException {
    try {
      return scan.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the CSV files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e.getCause());
    }
  }

  /** One file's header and the types its cells allow for each wanted column. */
  private static final class FileTypes {
    private final List<String> header;
    private final Map<String, Inference> inferences = new LinkedHashMap<>();

    private FileTypes(List<String> header) {
      this.header = header;
    }

    static FileTypes scan(Scan scan, Collection<String> wanted, Set<String> numeric)
        throws IOException {
      if (scan.end() < 0) {
        try (InputStream in = scan.source().open();
            CsvFile file = CsvFile.open(in, scan.source().name())) {
          return scan(file, wanted, numeric);
        }
      }
      try (SeekableByteChannel channel = scan.source().openChannel();
          CsvFile file =
              CsvRange.open(channel, scan.source().name(), scan.start(), scan.end()).file()) {
        return scan(file, wanted, numeric);
      }
    }

    private static FileTypes scan(CsvFile file, Collection<String> wanted, Set<String> numeric)
        throws IOException {
      FileTypes types = new FileTypes(new ArrayList<>(file.header()));
      for (String column : types.header) {
        if (wanted == null || wanted.contains(column)) {
          types.inferences.put(column, new Inference(numeric.contains(column)));
        }
      }
      int[] columns = new int[types.inferences.size()];
      Inference[] typed = new Inference[types.inferences.size()];
      int i = 0;
      for (Map.Entry<String, Inference> entry : types.inferences.entrySet()) {
        columns[i] = types.header.indexOf(entry.getKey());
        typed[i++] = entry.getValue();
      }
      for (CSVRecord row = file.next(); row != null; row = file.next()) {
        for (int c = 0; c < columns.length; c++) {
          if (columns[c] < row.size()) {
            typed[c].observe(row.get(columns[c]));
          }
        }
      }
      return types;
    }

    /** Adds the types of another file with the same header. */
    void merge(FileTypes other) {
      inferences.forEach((column, inference) -> inference.merge(other.inferences.get(column)));
    }
  }

  /**
   * A column's type so far: INT64 while every cell is an integer, FLOAT while every cell is a
   * number, else BYTES. In a column with a numeric role (label, prediction, weight) a cell that is
   * not a number is skipped: it makes its own row a bad record, not the column text.
   */
  private static final class Inference {
    private final boolean numericRole;
    private boolean allIntegers = true;
    private boolean allNumbers = true;

    Inference(boolean numericRole) {
      this.numericRole = numericRole;
    }

    void observe(String value) {
      if (value.isEmpty() || !allNumbers || (numericRole && !allIntegers)) {
        return; // settled: text, or a numeric role's FLOAT
      }
      if (allIntegers && isInteger(value)) {
        return;
      }
      if (isNumber(value)) {
        allIntegers = false;
      } else if (!numericRole) {
        allIntegers = false;
        allNumbers = false;
      }
    }

    void merge(Inference other) {
      allIntegers &= other.allIntegers;
      allNumbers &= other.allNumbers;
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
