package io.fairbeam.cli;

import io.fairbeam.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The TFX Evaluator's blessing: an empty file named {@code BLESSED} or {@code NOT_BLESSED} in a
 * directory, which a pusher obeys. Before the run, a marker left by an earlier run is removed, so a
 * run that fails leaves neither file and nothing is pushed on a stale verdict; no other file in the
 * directory is touched, and a non-empty file under a marker's name is refused (it is not a marker).
 */
final class Blessing {
  static final String BLESSED = "BLESSED";
  static final String NOT_BLESSED = "NOT_BLESSED";

  private Blessing() {}

  /**
   * Creates {@code directory} if needed and removes earlier markers.
   *
   * @throws ConfigException if the directory cannot be used (exit status 2, before any data is
   *     read)
   */
  static void prepare(Path directory) {
    try {
      Files.createDirectories(directory);
      for (String name : new String[] {BLESSED, NOT_BLESSED}) {
        Path marker = directory.resolve(name);
        if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS) || Files.size(marker) != 0) {
          throw new ConfigException(
              "--blessing "
                  + directory
                  + ": "
                  + name
                  + " there is not an empty marker file; not replacing it");
        }
        Files.delete(marker);
      }
    } catch (IOException e) {
      throw new ConfigException("--blessing " + directory + ": cannot use it (" + e + ")");
    }
  }

  /** Writes the empty marker of the verdict. */
  static Path write(Path directory, boolean blessed) throws IOException {
    return Files.createFile(directory.resolve(blessed ? BLESSED : NOT_BLESSED));
  }
}
