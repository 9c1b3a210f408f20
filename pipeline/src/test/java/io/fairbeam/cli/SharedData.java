package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared/data} beside the project; tests that need it skip without it. */
final class SharedData {
  private SharedData() {}

  /** The project root (the parent of this module's directory). */
  static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("pipeline")) ? here : here.getParent();
  }

  /**
   * The data file {@code name}: the project's own sample ({@code data/}, the Titanic CSV the demo
   * runs) when it is there, else {@code ../shared/data/name}; skips the test with a message when
   * neither has it.
   */
  static Path file(String name) {
    Path own = projectRoot().resolve("data").resolve(name);
    if (Files.isRegularFile(own)) {
      return own;
    }
    Path data = projectRoot().getParent().resolve("shared").resolve("data");
    assumeTrue(
        "shared data folder " + data + " is absent; skipping the test that needs " + name,
        Files.isRegularFile(data.resolve(name)));
    return data.resolve(name);
  }

  /**
   * Runs {@code fairbeam evaluate} of the Titanic CSV under {@code config} into {@code output};
   * fails the test if the run fails. Returns {@code output}.
   */
  static Path evaluateTitanic(Path config, Path output) {
    assertEquals(
        0,
        Fairbeam.run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            file("titanic.csv").toString(),
            "--output",
            output.toString()));
    return output;
  }
}
