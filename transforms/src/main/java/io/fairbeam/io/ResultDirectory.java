package io.fairbeam.io;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The output directory of an evaluation, written atomically and never at the expense of the user's
 * files.
 *
 * <p>When the pipeline is built, {@link #prepare} checks the output: it is replaced only when it is
 * empty or holds exactly a previous result (Fairbeam's, recognised by its {@code
 * fairbeam_run.json}, or TFMA's complete file set) and nothing else, and an output that contains or
 * is one of the evaluation's inputs is refused. It also takes a lock beside the output, so that one
 * run at a time writes there, and cleans up the siblings a killed run left behind (if it died
 * between the two renames of its commit, the previous result is put back).
 *
 * <p>When the result is ready, {@link #write} writes it into a hidden sibling directory and only
 * then moves it into place, so a failed or killed run leaves the previous result or the complete
 * new one; it releases the lock when this JVM holds it. A pipeline that fails before that step
 * leaves the lock to {@link #release} (the command line calls it) or to the end of the process, and
 * a later {@link #prepare} in the same JVM takes it over.
 */
@Internal
public final class ResultDirectory {
  /** Infix of the hidden sibling a result is written into before it is committed. */
  static final String TEMPORARY_INFIX = ".fairbeam-tmp-";

  /** Infix of the hidden sibling a previous result is moved to while the new one moves in. */
  static final String PREVIOUS_INFIX = ".fairbeam-old-";

  /** The output locks this JVM holds, by absolute output path. */
  private static final Map<Path, OutputLock> HELD = new ConcurrentHashMap<>();

  /** Writes a result's files into a directory. */
  @FunctionalInterface
  public interface Contents {
    void writeInto(Path directory) throws IOException;
  }

  private ResultDirectory() {}

  /**
   * Checks that {@code output} may be written and that it holds none of {@code inputs}, takes the
   * output's lock and cleans up after an earlier killed run.
   *
   * @throws OutputRefusedException if the output is not Fairbeam's to replace, or is in use
   */
  public static void prepare(Path output, Collection<Path> inputs) throws IOException {
    Path absolute = output.toAbsolutePath().normalize();
    checkHoldsNoInput(output, absolute, inputs);
    Path parent = absolute.getParent();
    if (parent == null) {
      throw new OutputRefusedException(
          "--output "
              + output
              + ": the root directory cannot be an"
              + " output; name a directory for the result");
    }
    Files.createDirectories(parent);
    OutputLock held = HELD.get(absolute);
    OutputLock lock = held != null ? held : OutputLock.beside(absolute, output);
    try {
      recoverFromKilledRun(absolute);
      checkReplaceable(output, absolute);
    } catch (IOException | RuntimeException e) {
      HELD.remove(absolute);
      lock.close();
      throw e;
    }
    HELD.put(absolute, lock);
  }

  /**
   * Writes a result with {@code contents} into a new hidden sibling of {@code output}, moves it
   * into place (replacing a previous result), and releases the lock if this JVM holds it. On
   * failure the sibling is removed and the output left as it was.
   */
  public static void write(Path output, Contents contents) throws IOException {
    Path absolute = output.toAbsolutePath().normalize();
    Path temporary = sibling(absolute, TEMPORARY_INFIX + UUID.randomUUID());
    try {
      Files.createDirectory(temporary);
      contents.writeInto(temporary);
      commit(absolute, temporary);
    } catch (IOException | RuntimeException | Error e) {
      try {
        deleteRecursively(temporary);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    } finally {
      release(absolute);
    }
  }

  /** Releases the lock this JVM holds on {@code output}, if any (after a failed pipeline). */
  public static void release(Path output) {
    OutputLock lock = HELD.remove(output.toAbsolutePath().normalize());
    if (lock != null) {
      lock.close();
    }
  }

  private static Path sibling(Path output, String suffix) {
    return output.resolveSibling("." + output.getFileName() + suffix);
  }

  /**
   * Refuses an output that is, or lies above, a file the run reads (compared by real path, so links
   * are seen through). An output that does not exist yet holds nothing.
   */
  private static void checkHoldsNoInput(Path output, Path absolute, Collection<Path> inputs)
      throws IOException {
    if (!Files.exists(absolute)) {
      return;
    }
    Path real = absolute.toRealPath();
    for (Path input : inputs) {
      Path in = Files.exists(input) ? input.toRealPath() : input.toAbsolutePath().normalize();
      if (in.startsWith(real)) {
        throw new OutputRefusedException(
            "--output "
                + output
                + " "
                + (in.equals(real) ? "is" : "contains")
                + " the input "
                + input
                + "; the result would replace it. Choose another output directory");
      }
    }
  }

  private static void checkReplaceable(Path output, Path absolute) throws IOException {
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(absolute)) {
      throw new OutputRefusedException(
          "--output " + output + " is a symbolic link; name the" + " directory itself");
    }
    if (!Files.isDirectory(absolute)) {
      throw new OutputRefusedException(
          "--output " + output + " exists and is not a directory;" + " refusing to replace it");
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
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
            || !ResultFiles.isResultFile(name)) {
          foreign.add(name);
        }
        hasSummary |= name.equals(ResultFiles.RUN_SUMMARY);
        hasEvalConfig |= name.equals(ResultFiles.EVAL_CONFIG);
        hasMetrics |= name.startsWith(ResultFiles.METRICS_PREFIX + "-");
      }
    }
    if (!foreign.isEmpty()) {
      foreign.sort(null);
      throw new OutputRefusedException(
          "--output "
              + output
              + " holds files that are not part of"
              + " an evaluation result ("
              + describe(foreign)
              + "); refusing to replace it. Choose"
              + " another output directory");
    }
    boolean tfmaResult = hasEvalConfig && hasMetrics;
    if (count > 0 && !hasSummary && !tfmaResult) {
      throw new OutputRefusedException(
          "--output "
              + output
              + " is not empty and holds no"
              + " complete evaluation result; refusing to replace it. Choose another output"
              + " directory");
    }
  }

  private static String describe(List<String> names) {
    return names.size() <= 5
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
  }

  /**
   * Removes the temporary and previous-result siblings an earlier run into this output left when it
   * was killed. If it died after moving the previous result aside but before moving the new one in,
   * the previous result is put back first. Called under the lock, so no other run owns these
   * siblings.
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

  /** Moves the finished result {@code temporary} into place, replacing a previous one. */
  private static void commit(Path output, Path temporary) throws IOException {
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
  }

  /** Removes {@code root} and everything under it, without following links. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
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
