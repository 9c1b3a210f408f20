package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/** The command line as a user meets it: help, convert, the CelebA config, the report. */
public class CommandLineTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static String captureOut(Callable<Integer> command, int expectedCode) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(expectedCode, (int) command.call());
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void helpDocumentsBothCommands() throws Exception {
    String help = captureOut(() -> Fairbeam.run("--help"), 0);
    assertThat(help, containsString("evaluate"));
    assertThat(help, containsString("convert"));
    String evaluate = captureOut(() -> Fairbeam.run("evaluate", "--help"), 0);
    for (String option : List.of("--config", "--data", "--output", "--format", "--bad-records")) {
      assertThat(evaluate, containsString(option));
    }
    assertThat(captureOut(() -> Fairbeam.run("convert", "--help"), 0), containsString("--data"));
  }

  @Test
  public void helpFitsEightyColumnsWithItsLinesAsWritten() throws Exception {
    CommandLine root = new CommandLine(new Fairbeam());
    List<CommandLine> commands = new ArrayList<>(List.of(root));
    String rootHelp = captureOut(() -> Fairbeam.run("--help"), 0);
    commands.addAll(root.getSubcommands().values());
    for (CommandLine command : commands) {
      String name = command.getCommandName();
      String help =
          captureOut(
              () -> name.equals("fairbeam") ? Fairbeam.run("--help") : Fairbeam.run(name, "--help"),
              0);
      for (String line : help.split("\n")) {
        assertTrue(name + ": " + line.length() + " columns: " + line, line.length() <= 80);
      }
      // Every line of the header, description and footer as written: none re-wrapped into a
      // stub; and each command's one-line header whole in the list of commands.
      var usage = command.getCommandSpec().usageMessage();
      List<String> lines = concat(usage.header(), concat(usage.description(), usage.footer()));
      if (command != root) {
        assertTrue(name + " has a header", usage.header().length == 1);
        assertTrue(
            rootHelp,
            Pattern.compile("\\n  " + name + " +" + Pattern.quote(usage.header()[0]) + "\\n")
                .matcher(rootHelp)
                .find());
      }
      for (String line : lines) {
        if (!line.isBlank()) {
          assertThat(name, help, containsString(line.strip()));
        }
      }
    }
  }

  @Test
  public void versionIsTheBuildsVersion() throws Exception {
    String version = captureOut(() -> Fairbeam.run("--version"), 0).strip();
    assertEquals("fairbeam " + io.fairbeam.beam.FairnessEval.VERSION_NUMBER, version);
    assertTrue(version, version.matches("fairbeam \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"));
  }

  private static List<String> concat(String[] a, String[] b) {
    return concat(a, List.of(b));
  }

  private static List<String> concat(String[] a, List<String> b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(b);
    return all;
  }

  @Test
  public void convertTypesColumnsAndCompresses() throws Exception {
    Path csv = temp.getRoot().toPath().resolve("in.csv");
    Files.writeString(csv, "label,score,group\n1,0.75,a\n0,,b\n");
    Path out = temp.getRoot().toPath().resolve("out.tfrecord.gz");
    captureOut(
        () -> Fairbeam.run("convert", "--data", csv.toString(), "--output", out.toString()), 0);
    List<Example> examples = new ArrayList<>();
    try (InputStream in = Files.newInputStream(out);
        TFRecordReader reader = TFRecordReader.open(in, out.toString())) {
      int length;
      while ((length = reader.next()) >= 0) {
        examples.add(Example.parseFrom(reader.copy(length)));
      }
    }
    assertEquals(2, examples.size());
    var first = examples.get(0).getFeatures().getFeatureMap();
    assertEquals(1L, first.get("label").getInt64List().getValue(0));
    assertEquals(0.75f, first.get("score").getFloatList().getValue(0), 0f);
    assertEquals("a", first.get("group").getBytesList().getValue(0).toStringUtf8());
    assertTrue(!examples.get(1).getFeatures().getFeatureMap().containsKey("score"));
    assertEquals(
        2,
        Fairbeam.run(
            "convert", "--data", temp.getRoot() + "/missing.csv", "--output", out.toString()));
  }

  @Test
  public void celebaConfigRunsAsWrittenAndReportShowsTheFiles() throws Exception {
    Path csv = temp.getRoot().toPath().resolve("faces.csv");
    StringBuilder rows = new StringBuilder("Smiling,prediction,Young\n");
    Random random = new Random(4);
    for (int i = 0; i < 400; i++) {
      rows.append(random.nextInt(2))
          .append(',')
          .append(random.nextInt(100) / 100.0)
          .append(',')
          .append(random.nextInt(3) == 0 ? 0 : 1)
          .append('\n');
    }
    Files.writeString(csv, rows);
    Path out = temp.getRoot().toPath().resolve("celeba");
    String report =
        captureOut(
            () ->
                Fairbeam.run(
                    "evaluate",
                    "--config",
                    SharedData.projectRoot().resolve("configs/celeba.pbtxt").toString(),
                    "--data",
                    csv.toString(),
                    "--output",
                    out.toString()),
            0);
    assertThat(report, containsString("fairness_indicators_metrics @ 0.22"));
    assertThat(report, containsString("fairness_indicators_metrics @ 0.50"));
    assertThat(report, containsString("Young:1"));
    assertThat(report, containsString("Examples evaluated: 400 of 400 records read"));
    List<MetricsForSlice> metrics = EvalResultReader.metrics(out);
    assertEquals(3, metrics.size());
    // The report's FPR at 0.50 for Overall is the one in the written file.
    MetricsForSlice overall =
        metrics.stream()
            .filter(m -> m.getSliceKey().getSingleSliceKeysCount() == 0)
            .findFirst()
            .orElseThrow();
    double fpr =
        overall.getMetricKeysAndValuesList().stream()
            .filter(
                kv ->
                    kv.getKey()
                        .getName()
                        .equals("fairness_indicators_metrics/false_positive_rate@0.50"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .getDoubleValue()
            .getValue();
    String block = report.substring(report.indexOf("fairness_indicators_metrics @ 0.50"));
    String overallLine =
        block.lines().filter(l -> l.startsWith("Overall")).findFirst().orElseThrow();
    assertThat(overallLine, containsString(String.format(java.util.Locale.ROOT, "%.4f", fpr)));
  }

  @Test
  public void minSliceSizeSuppressesSmallSlices() throws Exception {
    Path csv = temp.getRoot().toPath().resolve("d.csv");
    Files.writeString(csv, "y,p,g\n1,0.9,a\n0,0.1,a\n1,0.8,a\n0,0.3,b\n");
    Path config = temp.getRoot().toPath().resolve("c.pbtxt");
    Files.writeString(
        config,
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' }\n"
            + "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' } }\n"
            + "slicing_specs {} slicing_specs { feature_keys: 'g' }\n"
            + "options { min_slice_size { value: 2 } }\n");
    Path out = temp.getRoot().toPath().resolve("o");
    String report =
        captureOut(
            () ->
                Fairbeam.run(
                    "evaluate",
                    "--config",
                    config.toString(),
                    "--data",
                    csv.toString(),
                    "--output",
                    out.toString()),
            0);
    assertThat(report, containsString("suppressed"));
    int suppressed = 0;
    for (MetricsForSlice m : EvalResultReader.metrics(out)) {
      @SuppressWarnings("deprecation")
      boolean error = m.getMetricsMap().containsKey("__ERROR__");
      if (error) {
        suppressed++;
        assertEquals("b", m.getSliceKey().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
        assertEquals(0, m.getMetricKeysAndValuesCount());
      }
    }
    assertEquals(1, suppressed);
  }

  @Test
  public void outputsWorkersCannotShareAreRefusedBeforeAnythingRuns() throws Exception {
    Path csv = temp.getRoot().toPath().resolve("d.csv");
    Files.writeString(csv, "y,p\n1,0.9\n");
    Path config = temp.getRoot().toPath().resolve("c.pbtxt");
    Files.writeString(
        config,
        "model_specs { label_key: 'y' prediction_key: 'p' }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' } }\nslicing_specs {}\n");
    assertEquals(
        2,
        Fairbeam.run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            csv.toString(),
            "--output",
            "gs://bucket/result"));
    Path local = temp.getRoot().toPath().resolve("out");
    assertEquals(
        2,
        Fairbeam.run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            csv.toString(),
            "--output",
            local.toString(),
            "--runner=DataflowRunner"));
    assertTrue("nothing written", !Files.exists(local));
  }

  /**
   * A URL no filesystem here serves gets one sentence naming the option and what serves it, before
   * anything runs; a Dataflow run refuses a local output (checked in the dataflow build, where the
   * runner exists).
   */
  @Test
  public void aUrlNoFilesystemServesIsNamedWithWhatServesIt() {
    String config = SharedData.projectRoot().resolve("configs/titanic.pbtxt").toString();
    String data = SharedData.file("titanic.csv").toString();
    String output = temp.getRoot().toPath().resolve("out").toString();
    for (String[] c :
        new String[][] {
          {
            "--output", "gs://bucket/results/titanic", "Cloud Storage comes with the dataflow build"
          },
          {"--output", "hdfs://namenode:8020/results", "--hdfsConfiguration=[{"},
          {"--data", "ftp://host/titanic.csv", "Fairbeam reads and writes local paths, hdfs://"},
        }) {
      CapturedRun run =
          CapturedRun.of(
              "evaluate",
              "--config",
              config,
              "--data",
              c[0].equals("--data") ? c[1] : data,
              "--output",
              c[0].equals("--output") ? c[1] : output);
      assertEquals(run.err(), Fairbeam.USAGE, run.status());
      String scheme = c[1].substring(0, c[1].indexOf(':'));
      assertThat(
          run.err(),
          containsString(c[0] + " " + c[1] + ": no filesystem serves " + scheme + ":// here; "));
      assertThat(run.err(), containsString(c[2]));
      assertEquals(run.err(), 1, run.err().strip().split("\n").length);
      assertTrue(!Files.exists(Path.of(output)));
    }
  }
}
