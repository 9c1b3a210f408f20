package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;

import io.fairbeam.io.RemoteResultDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What the tests of results on remote filesystems share: Titanic as TFRecord shards uploaded there,
 * local copies of remote results, and the names a run left beside an output.
 */
final class RemoteResults {
  private RemoteResults() {}

  /**
   * Writes Titanic as two GZIP TFRecord shards (the first and second half of the CSV's rows, so
   * that together they count each row once) under {@code local/shards/} and uploads them as {@code
   * remote/titanic-0.tfrecord.gz} and {@code -1}.
   */
  static void uploadTitanicShards(Path local, String remote) throws IOException {
    List<String> lines = Files.readAllLines(SharedData.file("titanic.csv"));
    int half = 1 + (lines.size() - 1) / 2;
    for (int shard = 0; shard < 2; shard++) {
      Path part = local.resolve("titanic-" + shard + ".csv");
      List<String> rows = new ArrayList<>(List.of(lines.get(0)));
      rows.addAll(shard == 0 ? lines.subList(1, half) : lines.subList(half, lines.size()));
      Files.write(part, rows);
      Path tfrecord = local.resolve("shards/titanic-" + shard + ".tfrecord.gz");
      Files.createDirectories(tfrecord.getParent());
      if (!Files.exists(tfrecord)) {
        assertEquals(
            0, Fairbeam.run("convert", "--data", part.toString(), "--output", tfrecord.toString()));
      }
      try (InputStream in = Files.newInputStream(tfrecord);
          OutputStream out =
              Channels.newOutputStream(
                  FileSystems.create(
                      FileSystems.matchNewResource(
                          remote + "/titanic-" + shard + ".tfrecord.gz", false),
                      "application/octet-stream"))) {
        in.transferTo(out);
      }
    }
  }

  /** Writes {@code text} to the remote file {@code url}. */
  static void write(String url, String text) throws IOException {
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(url, false), "text/plain"))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A local copy (under {@code temp}) of the complete result at {@code url}. */
  static Path fetch(Path temp, String url) throws IOException {
    Path copy = Files.createTempDirectory(temp, "fetched-");
    RemoteResultDirectory.download(url, copy);
    return copy;
  }

  /** The names of the hidden siblings a run into {@code output} left. */
  static List<String> leftovers(String output) throws IOException {
    String parent = output.substring(0, output.lastIndexOf('/'));
    String name = output.substring(output.lastIndexOf('/') + 1);
    List<String> found = new ArrayList<>();
    // Directories on HDFS; on an object store only the objects under them exist.
    for (String pattern : List.of("", "/*")) {
      for (String entry :
          names(parent + "/." + name + ".fairbeam-*" + pattern, pattern.isEmpty())) {
        if (!entry.isEmpty() && !found.contains(entry)) {
          found.add(entry);
        }
      }
    }
    Collections.sort(found);
    return found;
  }

  /** The file names that {@code pattern} matches, sorted. */
  static List<String> names(String pattern) throws IOException {
    return names(pattern, true);
  }

  private static List<String> names(String pattern, boolean ownName) throws IOException {
    MatchResult match = FileSystems.match(pattern);
    List<String> names = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata file : match.metadata()) {
        names.add(
            ownName
                ? file.resourceId().getFilename()
                : file.resourceId().getCurrentDirectory().getFilename());
      }
    }
    Collections.sort(names);
    return names;
  }

  /** The file names in the local directory {@code directory}, sorted. */
  static List<String> localNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
