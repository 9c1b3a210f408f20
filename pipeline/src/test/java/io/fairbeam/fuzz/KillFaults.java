package io.fairbeam.fuzz;

import io.fairbeam.fuzz.FuzzCase.Expect;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Faults that need a second process: {@code fairbeam evaluate} and {@code fairbeam convert} run as
 * child JVMs and killed (SIGKILL) at a moment drawn uniformly from the time a whole child run takes
 * on this machine (measured first), and a second run into an output a child is writing. After a
 * kill the output must be the previous result or the complete new one (or, killed between the two
 * renames of the commit, absent with the previous result intact beside it under its hidden name),
 * and the next run into the same output must succeed and leave no leftovers.
 */
final class KillFaults {
  private static final int ROWS = 400_000;

  private KillFaults() {}

  /** Runs {@code count} kill cases and one concurrent-run case under {@code work}. */
  static List<FuzzRunner.Outcome> run(long seed, int count, Path work, String classPath)
      throws IOException {
    Files.createDirectories(work);
    SplittableRandom data = new SplittableRandom(seed);
    List<FuzzData.Row> rows = FuzzData.rows(data, ROWS);
    Path tfrecord = work.resolve("data.tfrecord");
    Files.write(tfrecord, FuzzData.tfrecord(FuzzData.serialized(rows)));
    Path csv = work.resolve("data.csv");
    Files.write(
        csv, (String.join("\n", FuzzData.csvLines(rows)) + "\n").getBytes(StandardCharsets.UTF_8));
    Path config = work.resolve("config.pbtxt");
    Files.writeString(config, FuzzData.CONFIG);
    // How long each command takes here as a child, so that kills land all through a run.
    Path timing = Files.createDirectories(work.resolve("timing"));
    long evaluateMillis =
        timeChild(evaluateArgs(config, tfrecord, timing.resolve("result")), timing, classPath);
    long convertMillis =
        timeChild(
            List.of(
                "convert",
                "--data",
                csv.toString(),
                "--output",
                timing.resolve("out.tfrecord").toString()),
            timing,
            classPath);
    List<FuzzRunner.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SplittableRandom r = FuzzCampaign.random(seed, "kill", i);
      Path dir = Files.createDirectories(work.resolve("case-" + i));
      outcomes.add(
          i % 2 == 0
              ? killEvaluate(r.nextLong(evaluateMillis + 1), dir, tfrecord, config, classPath)
              : killConvert(r.nextLong(convertMillis + 1), dir, csv, classPath));
    }
    outcomes.add(concurrentRuns(work.resolve("concurrent"), tfrecord, config, classPath));
    return outcomes;
  }

  private static Process start(List<String> args, Path log, String classPath) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                classPath,
                "io.fairbeam.cli.Fairbeam"));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static List<String> evaluateArgs(Path config, Path data, Path output) {
    return List.of(
        "evaluate",
        "--config",
        config.toString(),
        "--data",
        data.toString(),
        "--output",
        output.toString());
  }

  private static long timeChild(List<String> args, Path dir, String classPath) throws IOException {
    long start = System.nanoTime();
    Process child = start(args, dir.resolve("timing.log"), classPath);
    waitFor(child, 300_000);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static FuzzRunner.Outcome killEvaluate(
      long delay, Path dir, Path data, Path config, String classPath) throws IOException {
    Path output = dir.resolve("result");
    List<String> args = evaluateArgs(config, data, output);
    FuzzCase fuzzCase =
        new FuzzCase(
            "kill", "evaluate killed after " + delay + " ms", args, Expect.result(ROWS, null));
    FuzzRunner.Run first = FuzzRunner.runCommand(args);
    if (first.exit() != 0) {
      return violation(fuzzCase, "the first run failed: " + first.stderr());
    }
    Map<String, String> previous = FuzzRunner.snapshot(output);
    boolean finished = runAndKill(args, dir, delay, classPath);
    List<String> problems = new ArrayList<>();
    Path aside = single(dir, ".result.fairbeam-old-");
    if (Files.exists(output)) {
      Map<String, String> now = FuzzRunner.snapshot(output);
      if (!now.equals(previous)) {
        checkComplete(output, problems);
      }
    } else if (aside == null || !FuzzRunner.snapshot(aside).equals(previous)) {
      problems.add("the output is gone and the previous result is not beside it");
    }
    FuzzRunner.Run next = FuzzRunner.runCommand(args);
    if (next.exit() != 0) {
      problems.add("the next run failed: " + next.stderr().strip());
    } else {
      checkComplete(output, problems);
    }
    return judge(fuzzCase, finished, problems, leftovers(dir, ".result.fairbeam-"));
  }

  private static FuzzRunner.Outcome killConvert(long delay, Path dir, Path csv, String classPath)
      throws IOException {
    Path output = dir.resolve("out.tfrecord");
    List<String> args =
        List.of("convert", "--data", csv.toString(), "--output", output.toString(), "--overwrite");
    FuzzCase fuzzCase =
        new FuzzCase(
            "kill", "convert killed after " + delay + " ms", args, Expect.result(ROWS, null));
    Files.writeString(output, "the previous file");
    byte[] previous = Files.readAllBytes(output);
    boolean finished = runAndKill(args, dir, delay, classPath);
    List<String> problems = new ArrayList<>();
    byte[] now = Files.readAllBytes(output);
    FuzzRunner.Run next = FuzzRunner.runCommand(args);
    byte[] complete = Files.readAllBytes(output);
    if (next.exit() != 0) {
      problems.add("the next conversion failed: " + next.stderr().strip());
    }
    if (!Arrays.equals(now, previous) && !Arrays.equals(now, complete)) {
      problems.add(
          "after the kill the output is neither the previous file nor the complete"
              + " conversion ("
              + now.length
              + " bytes)");
    }
    return judge(fuzzCase, finished, problems, leftovers(dir, ".out.tfrecord.fairbeam-"));
  }

  /** Starts {@code args} as a child and kills it after {@code delay} ms; true if it ended first. */
  private static boolean runAndKill(List<String> args, Path dir, long delay, String classPath)
      throws IOException {
    Process child = start(args, dir.resolve("child.log"), classPath);
    boolean finished = waitFor(child, delay);
    if (!finished) {
      child.destroyForcibly();
      waitFor(child, 30_000);
    }
    return finished;
  }

  private static FuzzRunner.Outcome judge(
      FuzzCase fuzzCase, boolean finished, List<String> problems, int leftovers) {
    if (leftovers > 0) {
      problems.add(leftovers + " leftovers remain after the next run");
    }
    String what = finished ? "finished before the kill" : "killed";
    FuzzCase judged =
        new FuzzCase(
            fuzzCase.family(), fuzzCase.kind() + ", " + what, fuzzCase.args(), fuzzCase.expect());
    return problems.isEmpty()
        ? new FuzzRunner.Outcome(judged, FuzzRunner.Kind.RESULT, what)
        : violation(judged, String.join("; ", problems));
  }

  /** A run into an output another run is writing is refused; the other completes. */
  private static FuzzRunner.Outcome concurrentRuns(
      Path dir, Path data, Path config, String classPath) throws IOException {
    Files.createDirectories(dir);
    Path output = dir.resolve("result");
    List<String> args = evaluateArgs(config, data, output);
    FuzzCase fuzzCase =
        new FuzzCase(
            "kill",
            "second run while one writes",
            args,
            Expect.usage("being written by another fairbeam run"));
    Process child = start(args, dir.resolve("child.log"), classPath);
    Path lock = dir.resolve(".result.fairbeam-lock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // The lock file holds a token once its owner has locked it.
    while (!(Files.exists(lock) && sizeOf(lock) > 0)
        && child.isAlive()
        && System.nanoTime() < deadline) {
      sleep(20);
    }
    List<String> problems = new ArrayList<>();
    if (!Files.exists(lock)) {
      problems.add("the first run never took its lock");
    } else {
      FuzzRunner.Run second = FuzzRunner.runCommand(args);
      if (second.exit() != 2 || !second.stderr().contains("being written by another")) {
        problems.add(
            "the second run was not refused: exit "
                + second.exit()
                + ", "
                + second.stderr().strip());
      }
    }
    if (!waitFor(child, 120_000) || child.exitValue() != 0) {
      problems.add("the first run did not complete: " + Files.readString(dir.resolve("child.log")));
    } else {
      checkComplete(output, problems);
    }
    return problems.isEmpty()
        ? new FuzzRunner.Outcome(fuzzCase, FuzzRunner.Kind.ERROR, "refused while locked")
        : violation(fuzzCase, String.join("; ", problems));
  }

  private static void checkComplete(Path output, List<String> problems) {
    try {
      RunSummary summary = EvalResultReader.runSummary(output);
      if (summary.getRecordsRead() != ROWS || summary.getExamplesEvaluated() != ROWS) {
        problems.add("the result read " + summary.getRecordsRead() + " records of " + ROWS);
      }
      if (EvalResultReader.metrics(output).isEmpty()) {
        problems.add("the result has no metrics");
      }
    } catch (IOException e) {
      problems.add("the output is not a complete result: " + e.getMessage());
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static int leftovers(Path dir, String prefix) throws IOException {
    int n = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path ignored : entries) {
        n++;
      }
    }
    return n;
  }

  private static Path single(Path dir, String prefix) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
      entries.forEach(found::add);
    }
    return found.size() == 1 ? found.get(0) : null;
  }

  private static boolean waitFor(Process process, long millis) {
    try {
      return process.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static FuzzRunner.Outcome violation(FuzzCase fuzzCase, String detail) {
    return new FuzzRunner.Outcome(fuzzCase, FuzzRunner.Kind.VIOLATION, detail);
  }
}
