package io.fairbeam.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * An evaluation's output as the user named it: a local (or mounted) path, written by {@link
 * ResultDirectory}, or a URL of another Beam filesystem, written by {@link RemoteResultDirectory}.
 * The launcher and the writer go through here, so each decides local or remote the same way.
 */
@Internal
public final class ResultOutput {
  private ResultOutput() {}

  /**
   * Checks that {@code output} may be written and holds none of {@code inputs} (paths or URLs), and
   * cleans up after an earlier killed run; a local output is also locked.
   *
   * @throws OutputRefusedException if the output is not Fairbeam's to replace, or is in use
   */
  public static void prepare(String output, Collection<String> inputs) throws IOException {
    if (RemoteResultDirectory.isRemote(output)) {
      RemoteResultDirectory.prepare(output, inputs);
      return;
    }
    // A remote input cannot lie inside a local output.
    List<Path> local = new ArrayList<>();
    for (String input : inputs) {
      if (!RemoteResultDirectory.isRemote(input)) {
        local.add(Path.of(input));
      }
    }
    ResultDirectory.prepare(Path.of(output), local);
  }

  /** Writes a result with {@code contents} and commits it at {@code output}. */
  public static void write(String output, ResultDirectory.Contents contents) throws IOException {
    if (RemoteResultDirectory.isRemote(output)) {
      RemoteResultDirectory.write(output, contents);
    } else {
      ResultDirectory.write(Path.of(output), contents);
    }
  }

  /** Releases the lock this JVM holds on a local {@code output}, if any. */
  public static void release(String output) {
    if (!RemoteResultDirectory.isRemote(output)) {
      ResultDirectory.release(Path.of(output));
    }
  }
}
