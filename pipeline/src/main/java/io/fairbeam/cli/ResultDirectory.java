package io.fairbeam.cli;

import io.fairbeam.io.ResultFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The output directory of a run, written atomically and never at the expense of the user's files.
 *
 * <p>The pipeline writes into a hidden sibling directory, which replaces the output only after
 * the pipeline succeeded; a failed run removes its temporary directory and leaves the output as
 * it was. An existing output is replaced only when it is empty or holds exactly a previous result
 * (Fairbeam's, recognised by its {@code fairbeam_run.json}, or TFMA's complete file set) and
 * nothing else; an output that contains or is one of the run's inputs is refused. A lock beside
 * the output lets one run at a time write there, and the siblings a killed run left behind are
 * cleaned up (or, if it died between the two renames of its commit, the previous result is put
 * back) by the next run into the same output.
 */
final class ResultDirectory implements AutoCloseable {
  private static final String TEMPORARY_INFIX = ".fairbeam-tmp-";
  private static final String PREVIOUS_INFIX = ".fairbeam-old-";

  private final Path output;
  private final Path temporary;
  private final OutputLock lock;

  private ResultDirectory(Path output, Path temporary, OutputLock lock) {
    this.output = output;
    this.temporary = temporary;
    this.lock = lock;
  }

  /**
   * Checks that {@code output} may be written and that it holds none of {@code inputs}, takes the
   * output's lock, cleans up after an earlier killed run, and creates the temporary directory.
   *
   * @throws OutputRefusedException if the output is not Fairbeam's to replace, or is in use
   */
  static ResultDirectory prepare(Path output, Collection<Path> inputs)
      throws IOException, OutputRefusedException {
    Path absolute = output.toAbsolutePath().normalize();
    checkHoldsNoInput(output, absolute, inputs);
    Path parent = absolute.getParent();
    if (parent == null) {
      throw new OutputRefusedException("--output " + output + ": the root directory cannot be an"
          + " output; name a directory for the result");
    }
    Files.createDirectories(parent);
    OutputLock lock = OutputLock.beside(absolute, output);
    try {
      recoverFromKilledRun(absolute);
      checkReplaceable(output, absolute);
      Path temporary = sibling(absolute, TEMPORARY_INFIX + UUID.randomUUID());
      Files.createDirectory(temporary);
      return new ResultDirectory(absolute, temporary, lock);
    } catch (IOException | OutputRefusedException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static Path sibling(Path output, String suffix) {
    return output.resolveSibling("." + output.getFileName() + suffix);
  }

  /**
   * Refuses an output that is, or lies above, a file the run reads (compared by real path, so
   * links are seen through). An output that does not exist yet holds nothing.
   */
  private static void checkHoldsNoInput(Path output, Path absolute, Collection<Path> inputs)
      throws IOException, OutputRefusedException {
    if (!Files.exists(absolute)) {
      return;
    }
    Path real = absolute.toRealPath();
    for (Path input : inputs) {
      Path in = Files.exists(input) ? input.toRealPath() : input.toAbsolutePath().normalize();
      if (in.startsWith(real)) {
        throw new OutputRefusedException("--output " + output + " "
            + (in.equals(real) ? "is" : "contains") + " the input " + input
            + "; the result would replace it. Choose another output directory");
      }
    }
  }

  private static void checkReplaceable(Path output, Path absolute)
      throws IOException, OutputRefusedException {
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(absolute)) {
      throw new OutputRefusedException("--output " + output + " is a symbolic link; name the"
          + " directory itself");
    }
    if (!Files.isDirectory(absolute)) {
      throw new OutputRefusedException("--output " + output + " exists and is not a directory;"
          + " refusing to replace it");
    }
    List<String> foreign = new ArrayList<>();
    int count = 0;
    boolean hasSummary = false;
    boolean hasEvalConfig = false;
    boolean hasMetrics = false;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(absolute)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        count++;
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) || !isResultFileName(name)) {
          foreign.add(name);
        }
        hasSummary |= name.equals(ResultFiles.RUN_SUMMARY);
        hasEvalConfig |= name.equals(ResultFiles.EVAL_CONFIG);
        hasMetrics |= name.startsWith(ResultFiles.METRICS_PREFIX + "-");
      }
    }
    if (!foreign.isEmpty()) {
      foreign.sort(null);
      throw new OutputRefusedException("--output " + output + " holds files that are not part of"
          + " an evaluation result (" + describe(foreign) + "); refusing to replace it. Choose"
          + " another output directory");
    }
    boolean tfmaResult = hasEvalConfig && hasMetrics;
    if (count > 0 && !hasSummary && !tfmaResult) {
      throw new OutputRefusedException("--output " + output + " is not empty and holds no"
          + " complete evaluation result; refusing to replace it. Choose another output"
          + " directory");
    }
  }

  private static String describe(List<String> names) {
    return names.size() <= 5
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
  }

  /** A name Fairbeam or TFMA writes into a result directory. */
  private static boolean isResultFileName(String name) {
    return name.equals(ResultFiles.EVAL_CONFIG)
        || name.equals(ResultFiles.RUN_SUMMARY)
        || name.equals(ResultFiles.VALIDATIONS)
        || name.startsWith(ResultFiles.METRICS_PREFIX + "-")
        || name.startsWith(ResultFiles.PLOTS_PREFIX + "-")
        || name.startsWith("attributions-");
  }

  /**
   * Removes the temporary and previous-result siblings an earlier run into this output left
   * when it was killed. If it died after moving the previous result aside but before moving the
   * new one in, the previous result is put back first. Called under the lock, so no other run
   * owns these siblings.
   */
  private static void recoverFromKilledRun(Path output) throws IOException {
    Path parent = output.getParent();
    String prefix = "." + output.getFileName();
    List<Path> temporaries = new ArrayList<>();
    List<Path> previous = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + ".fairbeam-*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(prefix + TEMPORARY_INFIX)) {
          temporaries.add(entry);
        } else if (name.startsWith(prefix + PREVIOUS_INFIX)) {
          previous.add(entry);
        }
      }
    }
    if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS) && previous.size() == 1) {
      Files.move(previous.remove(0), output, StandardCopyOption.ATOMIC_MOVE);
    }
    for (Path leftover : temporaries) {
      deleteRecursively(leftover);
    }
    for (Path leftover : previous) {
      deleteRecursively(leftover);
    }
  }

  /** Where the pipeline writes. */
  Path temporary() {
    return temporary;
  }

  Path output() {
    return output;
  }

  /** Moves the finished result into place, replacing a previous one, and releases the lock. */
  void commit() throws IOException {
    Path previous = null;
    if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      previous = sibling(output, PREVIOUS_INFIX + UUID.randomUUID());
      Files.move(output, previous, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(temporary, output, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (previous != null) {
        Files.move(previous, output, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    if (previous != null) {
      deleteRecursively(previous);
    }
    lock.close();
  }

  /** Removes the temporary directory after a failure, and releases the lock. */
  void abandon() {
    try {
      deleteRecursively(temporary);
    } catch (IOException e) {
      System.err.println("fairbeam: could not remove " + temporary + ": " + e.getMessage());
    }
    lock.close();
  }

  @Override
  public void close() {
    if (Files.exists(temporary)) {
      abandon();
    } else {
      lock.close();
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
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
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
