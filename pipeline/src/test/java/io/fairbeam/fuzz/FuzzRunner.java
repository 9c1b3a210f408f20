package io.fairbeam.fuzz;

import io.fairbeam.cli.Fairbeam;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs a {@link FuzzCase} through the command line, in this JVM, and checks the invariant: a clear
 * error (exit 1 or 2, one message naming what is wrong, no stack trace, no internal error, the case
 * directory byte for byte as before) or a complete result (every record read counted as evaluated
 * or skipped, the counts and Overall values the case's oracle expects, nothing changed but the
 * output, no temporary leftovers).
 */
final class FuzzRunner {
  /** How a case ended. */
  enum Kind {
    RESULT,
    ERROR,
    VIOLATION
  }

  /** A case's outcome; {@code detail} says what was wrong for a violation. */
  record Outcome(FuzzCase fuzzCase, Kind kind, String detail) {}

  private FuzzRunner() {}

  /** What a run printed and returned. */
  record Run(int exit, String stdout, String stderr) {}

  /** Runs the command line in this JVM, capturing what it prints. */
  static synchronized Run runCommand(List<String> args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      exit = Fairbeam.run(args.toArray(new String[0]));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Run(
        exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code fuzzCase}, whose files lie in {@code dir}, and judges the outcome. */
  static Outcome run(FuzzCase fuzzCase, Path dir) {
    Map<String, String> before = snapshot(dir);
    Run run;
    try {
      run = runCommand(fuzzCase.args());
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      return new Outcome(fuzzCase, Kind.VIOLATION, "the command threw " + e);
    }
    Map<String, String> after = snapshot(dir);
    List<String> problems = new ArrayList<>();
    boolean success = run.exit() == 0;
    FuzzCase.Expect expect = fuzzCase.expect();
    if (expect.succeeds() != null && expect.succeeds() != success) {
      problems.add(
          "expected " + (expect.succeeds() ? "a result" : "an error") + ", got exit " + run.exit());
    }
    checkOutputStyle(run, problems);
    Path output = outputOf(fuzzCase.args(), dir);
    if (success) {
      checkOnlyOutputChanged(before, after, dir, output, problems);
      if (fuzzCase.args().get(0).equals("convert")) {
        checkConverted(output, expect, problems);
      } else {
        checkResult(output, expect, problems);
      }
      if (expect.stdoutMentions() != null && !run.stdout().contains(expect.stdoutMentions())) {
        problems.add("output does not say \"" + expect.stdoutMentions() + "\"");
      }
    } else {
      checkError(run, expect, problems);
      if (!before.equals(after)) {
        problems.add("a failed run changed the case directory: " + difference(before, after));
      }
    }
    if (!problems.isEmpty()) {
      return new Outcome(
          fuzzCase,
          Kind.VIOLATION,
          String.join("; ", problems)
              + " | exit "
              + run.exit()
              + " | stderr: "
              + abbreviate(run.stderr()));
    }
    return new Outcome(
        fuzzCase, success ? Kind.RESULT : Kind.ERROR, success ? "" : firstLine(run.stderr()));
  }

  /** No trace, no internal error, whatever the outcome. */
  private static void checkOutputStyle(Run run, List<String> problems) {
    String all = run.stdout() + run.stderr();
    if (all.contains("\tat ") || all.contains("Exception in thread")) {
      problems.add("a stack trace was printed");
    }
    if (all.contains(": internal error (") || run.exit() > 2) {
      problems.add("an internal error");
    }
  }

  private static void checkError(Run run, FuzzCase.Expect expect, List<String> problems) {
    if (run.exit() != 1 && run.exit() != 2) {
      problems.add("exit status " + run.exit() + " is not a documented failure (1 or 2)");
    }
    if (expect.exit() != null && run.exit() != expect.exit()) {
      problems.add("expected exit " + expect.exit());
    }
    String message = run.stderr().strip();
    if (message.isEmpty()) {
      problems.add("no error message");
    }
    if (message.startsWith("fairbeam ")
        && !message.lines().allMatch(line -> line.startsWith("fairbeam "))) {
      problems.add("the message runs over more than one line");
    }
    if (message.matches("(?s).*\\b(java|org|com)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*")) {
      problems.add("a bare exception class name in the message");
    }
    if (expect.mentions() != null && !message.contains(expect.mentions())) {
      problems.add("the message does not mention \"" + expect.mentions() + "\"");
    }
  }

  private static void checkOnlyOutputChanged(
      Map<String, String> before,
      Map<String, String> after,
      Path dir,
      Path output,
      List<String> problems) {
    String prefix = dir.relativize(output).toString();
    String leftovers =
        dir.relativize(output.resolveSibling("." + output.getFileName() + ".fairbeam-")).toString();
    Map<String, String> beforeRest = new TreeMap<>(before);
    Map<String, String> afterRest = new TreeMap<>(after);
    // The output may be replaced, and what an earlier killed run left beside it removed.
    beforeRest
        .keySet()
        .removeIf(k -> k.equals(prefix) || k.startsWith(prefix + "/") || k.startsWith(leftovers));
    afterRest.keySet().removeIf(k -> k.equals(prefix) || k.startsWith(prefix + "/"));
    if (!beforeRest.equals(afterRest)) {
      problems.add("files other than the output changed: " + difference(beforeRest, afterRest));
    }
  }

  private static void checkResult(Path output, FuzzCase.Expect expect, List<String> problems) {
    RunSummary summary;
    List<MetricsForSlice> metrics;
    try {
      summary = EvalResultReader.runSummary(output);
      metrics = EvalResultReader.metrics(output);
    } catch (IOException e) {
      problems.add("the result cannot be read back: " + e.getMessage());
      return;
    }
    if (summary.getRecordsRead() != summary.getExamplesEvaluated() + summary.getRecordsSkipped()) {
      problems.add(
          "records are unaccounted for: "
              + summary.getRecordsRead()
              + " read, "
              + summary.getExamplesEvaluated()
              + " evaluated, "
              + summary.getRecordsSkipped()
              + " skipped");
    }
    if (expect.records() != null && summary.getRecordsRead() != expect.records()) {
      problems.add(
          "read " + summary.getRecordsRead() + " records, the input holds " + expect.records());
    }
    if (expect.evaluated() != null) {
      if (summary.getExamplesEvaluated() != expect.evaluated().size()) {
        problems.add(
            "evaluated "
                + summary.getExamplesEvaluated()
                + " examples, expected "
                + expect.evaluated().size());
      }
      checkOverall(metrics, expect.evaluated(), problems);
    }
  }

  /** The Overall weighted count, TPR and FPR at 0.5, against the oracle's rows. */
  private static void checkOverall(
      List<MetricsForSlice> metrics, List<FuzzData.Row> rows, List<String> problems) {
    double weight = 0;
    double positives = 0;
    double negatives = 0;
    double truePositives = 0;
    double falsePositives = 0;
    for (FuzzData.Row row : rows) {
      weight += row.weight();
      boolean predicted = (double) row.score() > 0.5;
      if (row.label() == 1) {
        positives += row.weight();
        truePositives += predicted ? row.weight() : 0;
      } else {
        negatives += row.weight();
        falsePositives += predicted ? row.weight() : 0;
      }
    }
    Map<String, Double> expected =
        Map.of(
            "example_count", weight,
            "fairness_indicators_metrics/true_positive_rate@0.5", truePositives / positives,
            "fairness_indicators_metrics/false_positive_rate@0.5", falsePositives / negatives);
    MetricsForSlice overall =
        metrics.stream()
            .filter(m -> m.getSliceKey().getSingleSliceKeysCount() == 0)
            .findFirst()
            .orElse(null);
    if (overall == null) {
      problems.add("no Overall slice");
      return;
    }
    for (Map.Entry<String, Double> entry : expected.entrySet()) {
      Double actual =
          overall.getMetricKeysAndValuesList().stream()
              .filter(kv -> kv.getKey().getName().equals(entry.getKey()))
              .map(kv -> kv.getValue().getDoubleValue().getValue())
              .findFirst()
              .orElse(null);
      double want = entry.getValue();
      boolean same =
          actual != null
              && (Double.isNaN(want)
                  ? Double.isNaN(actual)
                  : Math.abs(actual - want) <= 1e-9 * Math.max(1, Math.abs(want)));
      if (!same) {
        problems.add("Overall " + entry.getKey() + " is " + actual + ", the oracle says " + want);
      }
    }
  }

  /** A converted TFRecord holds one example per expected row, with its values. */
  private static void checkConverted(Path output, FuzzCase.Expect expect, List<String> problems) {
    List<Example> examples = new ArrayList<>();
    try (InputStream in = Files.newInputStream(output);
        TFRecordReader reader = TFRecordReader.open(in, output.toString())) {
      for (int length = reader.next(); length >= 0; length = reader.next()) {
        examples.add(Example.parseFrom(reader.copy(length)));
      }
    } catch (IOException e) {
      problems.add("the converted file cannot be read: " + e.getMessage());
      return;
    }
    if (expect.evaluated() == null) {
      return;
    }
    if (examples.size() != expect.evaluated().size()) {
      problems.add(
          "converted " + examples.size() + " examples, expected " + expect.evaluated().size());
      return;
    }
    for (int i = 0; i < examples.size(); i++) {
      FuzzData.Row row = expect.evaluated().get(i);
      if (!examples.get(i).equals(FuzzData.example(row))) {
        problems.add("converted example " + i + " differs from its row " + row);
        return;
      }
    }
  }

  /** The {@code --output} of a command line, resolved against {@code dir}. */
  static Path outputOf(List<String> args, Path dir) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--output") && i + 1 < args.size()) {
        return dir.resolve(args.get(i + 1));
      }
      if (args.get(i).startsWith("--output=")) {
        return dir.resolve(args.get(i).substring("--output=".length()));
      }
    }
    return dir.resolve("result");
  }

  /** Every file and folder under {@code dir} (hidden ones too), with a hash of each file. */
  static Map<String, String> snapshot(Path dir) {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        String name = dir.relativize(path).toString();
        if (name.isEmpty()) {
          continue;
        }
        if (Files.isSymbolicLink(path)) {
          entries.put(name, "link:" + Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(name, "dir");
        } else {
          entries.put(name, sha256(Files.readAllBytes(path)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String difference(Map<String, String> before, Map<String, String> after) {
    List<String> changes = new ArrayList<>();
    for (String name : before.keySet()) {
      if (!after.containsKey(name)) {
        changes.add("-" + name);
      } else if (!before.get(name).equals(after.get(name))) {
        changes.add("~" + name);
      }
    }
    for (String name : after.keySet()) {
      if (!before.containsKey(name)) {
        changes.add("+" + name);
      }
    }
    return String.join(" ", changes.subList(0, Math.min(8, changes.size())));
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }

  private static String abbreviate(String text) {
    String flat = text.strip().replace('\n', ' ');
    return flat.length() <= 400 ? flat : flat.substring(0, 400) + "...";
  }
}
