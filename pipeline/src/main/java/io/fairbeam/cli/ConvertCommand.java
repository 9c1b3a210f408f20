package io.fairbeam.cli;

import io.fairbeam.extract.CsvToTfRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fairbeam convert}: CSV with a header to a TFRecord file of {@code tf.Example}s. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
        "Converts a CSV file with a header into a TFRecord file of tf.Example, one per row.",
        "Each column becomes a feature: int64 if every value is an integer, float if every",
        "value is a number, bytes otherwise. Blank cells are left out (missing).",
        "An output name ending in .gz is GZIP-compressed."
    })
final class ConvertCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "IN.csv", description = "CSV input.")
  Path data;

  @Option(names = "--output", required = true, paramLabel = "OUT.tfrecord[.gz]",
      description = "TFRecord output.")
  Path output;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(data)) {
      System.err.println("fairbeam convert: input file not found: " + data);
      return 2;
    }
    try {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      CsvToTfRecord.Summary summary = CsvToTfRecord.convert(data, output);
      System.out.printf("Wrote %,d examples to %s%n", summary.examples(), output);
      for (String column : summary.schema().columns()) {
        System.out.printf("  %-24s %s%n", column,
            summary.schema().kind(column).name().toLowerCase(java.util.Locale.ROOT));
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      System.err.println("fairbeam convert: " + e.getMessage());
      try {
        Files.deleteIfExists(output);
      } catch (IOException ignored) {
        // The error above is the one to report.
      }
      return 1;
    }
  }
}
