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
 * What the tests of results on remote filesystems share: Titanic as TFRecord shards uploaded there
 * and evaluated locally for the values to expect, {@code fairbeam evaluate} with the filesystem's
 * options, the launcher killed at each step of a commit, local copies of remote results, and the
 * names a run left beside an output.
 */
final class RemoteResults {
  /** The remote data: both halves of Titanic, and the first half alone. */
  static final String ALL = "/titanic-*.tfrecord.gz";

  static final String FIRST_HALF = "/titanic-0.tfrecord.gz";

  private final Path work;
  private final List<String> options;

  /** The local run's result of all of Titanic, and of its first half. */
  final Path local;

  final Path localFirstHalf;

  private RemoteResults(Path work, List<String> options) {
    this.work = work;
    this.options = options;
    String root = work.toString();
    this.local = Path.of(evaluate(root + "/shards" + ALL, root + "/local"));
    this.localFirstHalf = Path.of(evaluate(root + "/shards" + FIRST_HALF, root + "/local-0"));
  }

  /**
   * Uploads Titanic's two shards to {@code remoteData} (with {@link FileSystems} already set up for
   * it) and evaluates them locally; {@code options} are the filesystem's pipeline options.
   */
  static RemoteResults titanic(Path work, String remoteData, List<String> options)
      throws IOException {
    uploadTitanicShards(work, remoteData);
    return new RemoteResults(work, options);
  }

  List<String> evaluateArgs(String data, String output, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                SharedData.projectRoot().resolve("configs/titanic.pbtxt").toString(),
                "--data",
                data,
                "--output",
                output));
    args.addAll(options);
    args.addAll(List.of(more));
    return args;
  }

  /** Runs {@code fairbeam evaluate} in this JVM, which must succeed; returns {@code output}. */
  String evaluate(String data, String output, String... more) {
    CapturedRun run = CapturedRun.of(evaluateArgs(data, output, more).toArray(new String[0]));
    assertEquals(run.err(), 0, run.status());
    return output;
  }

  /** Runs {@code fairbeam evaluate} in this JVM and returns what it said. */
  CapturedRun attempt(String data, String output) {
    return CapturedRun.of(evaluateArgs(data, output).toArray(new String[0]));
  }

  /** Runs {@code fairbeam report} of {@code result} into {@code html} with the options. */
  CapturedRun report(String result, Path html) {
    List<String> args =
        new ArrayList<>(List.of("report", "--results", result, "--output", html.toString()));
    args.addAll(options);
    return CapturedRun.of(args.toArray(new String[0]));
  }

  /**
   * Evaluates {@code data} into {@code output} on the Flink cluster {@code flink} (its TaskManagers
   * read and write the filesystem themselves), checks the values against the local run's and that
   * nothing is left beside the output; returns the comparison.
   */
  ResultComparison onFlink(LocalFlinkCluster flink, String data, String output) throws IOException {
    evaluate(
        data,
        output,
        "--runner=FlinkRunner",
        "--flinkMaster=" + flink.master(),
        "--parallelism=2",
        "--jobName=fairbeam-it-remote");
    ResultComparison comparison = ResultComparison.assertSame(local, fetch(output));
    assertEquals(List.of(), leftovers(output));
    return comparison;
  }

  /** What a test checks after the launcher was killed at a step of the commit. */
  interface AfterKill {
    void check(String step, String output, List<String> leftovers) throws Exception;
  }

  /**
   * For each of {@code steps}: writes the first half's result to {@code outputs-STEP}, kills a run
   * of all of Titanic into it at that step of its commit, lets {@code afterKill} check what is
   * there, and requires the next run into the output to recover, replace it and leave nothing
   * beside it.
   */
  void killAtEachStep(String data, String outputs, List<String> steps, AfterKill afterKill)
      throws Exception {
    for (String step : steps) {
      String output = evaluate(data + FIRST_HALF, outputs + "-" + step);
      KilledCommit.at(
          step, work.resolve("killed-" + step + ".log"), evaluateArgs(data + ALL, output));
      afterKill.check(step, output, leftovers(output));
      evaluate(data + ALL, output);
      ResultComparison.assertSame(local, fetch(output));
      assertEquals(localNames(local), names(output + "/*"));
      assertEquals(List.of(), leftovers(output));
    }
  }

  /** A local copy of the complete result at {@code url}. */
  Path fetch(String url) throws IOException {
    Path copy = Files.createTempDirectory(work, "fetched-");
    RemoteResultDirectory.download(url, copy);
    return copy;
  }

  /**
   * Writes Titanic as two GZIP TFRecord shards (the first and second half of the CSV's rows, so
   * that together they count each row once) under {@code local/shards/} and uploads them as {@code
   * remote/titanic-0.tfrecord.gz} and {@code -1}.
   */
  private static void uploadTitanicShards(Path local, String remote) throws IOException {
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
