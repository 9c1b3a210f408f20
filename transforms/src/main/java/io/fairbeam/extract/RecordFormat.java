package io.fairbeam.extract;

import java.util.Locale;

/** The input formats Fairbeam reads; every one yields the same {@code ExampleFeatures}. */
public enum RecordFormat {
  TFRECORD("tfrecords"),
  CSV("csv"),
  AVRO("avro");

  private final String tfmaName;

  RecordFormat(String tfmaName) {
    this.tfmaName = tfmaName;
  }

  /** The name TFMA records in {@code EvalRun.file_format}. */
  public String tfmaName() {
    return tfmaName;
  }

  /**
   * Whether a file named {@code fileName} in this format can be read in ranges by several workers
   * ({@link RecordSource#readRange}): any but a GZIP file, which can only be read from its start
   * (an Avro file's blocks are compressed one by one, so it splits whatever its codec).
   */
  public boolean splittable(String fileName) {
    return !isGzipName(fileName);
  }

  /** Whether {@code fileName} says the file is GZIP-compressed ({@code .gz}, {@code .gzip}). */
  public static boolean isGzipName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return lower.endsWith(".gz") || lower.endsWith(".gzip");
  }

  /** Parses {@code tfrecord}, {@code csv} or {@code avro} (any case). */
  public static RecordFormat parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "tfrecord", "tfrecords" -> TFRECORD;
      case "csv" -> CSV;
      case "avro" -> AVRO;
      default ->
          throw new IllegalArgumentException(
              "unknown format \"" + text + "\"; accepted: tfrecord, csv, avro");
    };
  }

  /**
   * The format a file pattern's extension implies ({@code .csv}, {@code .avro}; TFRecord for {@code
   * .tfrecord}, {@code .tfrecords}, {@code .gz} and anything else), so {@code --format} is needed
   * only for unusual names.
   */
  public static RecordFormat fromPattern(String pattern) {
    String lower = pattern.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
      return CSV;
    }
    if (lower.endsWith(".avro")) {
      return AVRO;
    }
    return TFRECORD;
  }
}
