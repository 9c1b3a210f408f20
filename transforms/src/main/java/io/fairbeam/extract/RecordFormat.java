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
