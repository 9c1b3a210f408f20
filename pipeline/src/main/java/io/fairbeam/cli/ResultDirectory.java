package io.fairbeam.cli;

import io.fairbeam.io.ResultFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * The output directory of a run, written atomically: the pipeline writes into a hidden sibling
 * directory, which replaces the output only after the pipeline succeeded. A failed run removes
 * its temporary directory and leaves the output as it was, so no half-written result ever looks
 * complete. An existing output is replaced only if it is empty or holds a previous result.
 */
final class ResultDirectory {
  private final Path output;
  private final Path temporary;

  private ResultDirectory(Path output, Path temporary) {
    this.output = output;
    this.temporary = temporary;
  }

  /** Checks that {@code output} may be written, and creates the temporary directory. */
  static ResultDirectory prepare(Path output) throws IOException {
    Path absolute = output.toAbsolutePath().normalize();
    if (Files.exists(absolute)) {
      if (!Files.isDirectory(absolute)) {
        throw new IOException("--output " + output + " exists and is not a directory");
      }
      if (!isEmpty(absolute) && !isResult(absolute)) {
        throw new IOException("--output " + output + " is a non-empty directory that holds no"
            + " evaluation result; refusing to replace it");
      }
    }
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve("." + absolute.getFileName() + ".fairbeam-tmp-"
        + UUID.randomUUID());
    Files.createDirectory(temporary);
    return new ResultDirectory(absolute, temporary);
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      return !entries.iterator().hasNext();
    }
  }

  private static boolean isResult(Path directory) {
    return Files.exists(directory.resolve(ResultFiles.EVAL_CONFIG))
        || Files.exists(directory.resolve(ResultFiles.RUN_SUMMARY))
        || Files.exists(directory.resolve(ResultFiles.VALIDATIONS));
  }

  /** Where the pipeline writes. */
  Path temporary() {
    return temporary;
  }

  Path output() {
    return output;
  }

  /** Moves the finished result into place, replacing a previous one. */
  void commit() throws IOException {
    Path previous = null;
    if (Files.exists(output)) {
      previous = output.resolveSibling("." + output.getFileName() + ".fairbeam-old-"
          + UUID.randomUUID());
      Files.move(output, previous, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(temporary, output, StandardCopyOption.ATOMIC_MOVE);
    if (previous != null) {
      deleteRecursively(previous);
    }
  }

  /** Removes the temporary directory after a failure. */
  void abandon() {
    try {
      deleteRecursively(temporary);
    } catch (IOException e) {
      System.err.println("fairbeam: could not remove " + temporary + ": " + e.getMessage());
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
