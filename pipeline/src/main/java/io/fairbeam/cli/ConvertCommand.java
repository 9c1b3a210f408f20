package io.fairbeam.cli;

import io.fairbeam.extract.CsvToTfRecord;
import io.fairbeam.io.OutputLock;
import io.fairbeam.io.OutputRefusedException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fairbeam convert}: CSV with a header to a TFRecord file of {@code tf.Example}s. The
 * TFRecord is written under a temporary name beside the output and renamed into place only when
 * complete, so a failed or killed conversion never leaves a truncated file under the final name and
 * never removes a file that was there before.
 */
@Command(
    name = "convert",
    header = "Converts a CSV file into TFRecord of tf.Example.",
    mixinStandardHelpOptions = true,
    description = {
      "Converts a CSV file with a header into a TFRecord file of tf.Example,",
      "one per row. Each column becomes a feature: int64 if every value is an",
      "integer, float if every value is a number, bytes otherwise. Blank cells",
      "are left out (missing). An output name ending in .gz is GZIP-compressed.",
      "The output appears only when the conversion succeeded; an existing file",
      "is replaced only with --overwrite."
    },
    footer = {
      "",
      "Exit status: 0 success, 1 the conversion failed (unreadable CSV, full disk),",
      "2 usage (an output that exists without --overwrite, or that is the input),",
      "3 internal error (a bug)."
    })
final class ConvertCommand implements Callable<Integer> {
  private static final String TEMPORARY_INFIX = ".fairbeam-tmp-";

  @Option(names = "--data", required = true, paramLabel = "IN.csv", description = "CSV input.")
  Path data;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "OUT.tfrecord[.gz]",
      description = "TFRecord output.")
  Path output;

  @Option(
      names = "--overwrite",
      description = "Replace OUT if it exists (by default an existing file is left alone).")
  boolean overwrite;

  @Override
  public Integer call() {
    if (LocalOutput.isUrl(output)) {
      System.err.println("fairbeam convert: " + LocalOutput.refusal("--output", output));
      return 2;
    }
    if (!Files.isRegularFile(data)) {
      System.err.println("fairbeam convert: input file not found: " + data);
      return 2;
    }
    Path target = output.toAbsolutePath().normalize();
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.isSameFile(target, data)) {
          System.err.println(
              "fairbeam convert: --output "
                  + output
                  + " is the input "
                  + data
                  + "; choose another output file");
          return 2;
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
          System.err.println(
              "fairbeam convert: --output " + output + " exists and is not a" + " regular file");
          return 2;
        }
        if (!overwrite) {
          System.err.println(
              "fairbeam convert: --output "
                  + output
                  + " exists; give"
                  + " --overwrite to replace it");
          return 2;
        }
      }
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      System.err.println("fairbeam convert: --output " + output + ": " + e.getMessage());
      return 2;
    }
    OutputLock lock = null;
    try {
      lock = OutputLock.beside(target, output);
      return convertUnderLock(target);
    } catch (OutputRefusedException e) {
      System.err.println("fairbeam convert: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("fairbeam convert: --output " + output + ": " + e.getMessage());
      return 1;
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  /** Removes what a killed conversion into {@code target} left, then converts. */
  private int convertUnderLock(Path target) throws IOException {
    String leftover = "." + target.getFileName() + TEMPORARY_INFIX;
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(target.getParent(), leftover + "*")) {
      for (Path sibling : siblings) {
        Files.deleteIfExists(sibling);
      }
    }
    Path temporary = target.resolveSibling(leftover + UUID.randomUUID());
    try {
      boolean gzip = target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
      CsvToTfRecord.Summary summary = CsvToTfRecord.convert(data, temporary, gzip);
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      System.out.printf("Wrote %,d examples to %s%n", summary.examples(), output);
      for (String column : summary.schema().columns()) {
        System.out.printf(
            "  %-24s %s%n", column, summary.schema().kind(column).name().toLowerCase(Locale.ROOT));
      }
      return 0;
    } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
      System.err.println("fairbeam convert: " + ErrorMessages.writing(e, "--output " + output));
      System.err.println("fairbeam convert: nothing was written to " + output);
      return ErrorMessages.isUserError(e) ? 1 : Fairbeam.INTERNAL_ERROR;
    } finally {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException e) {
        System.err.println(
            "fairbeam convert: could not remove " + temporary + ": " + e.getMessage());
      }
    }
  }
}
