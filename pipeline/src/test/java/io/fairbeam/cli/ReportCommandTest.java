package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.ReportData;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The report as a file (ReportBrowserIT opens it in a browser): written into every result, its
 * embedded data equal to the result files, its tables readable without JavaScript, no network under
 * its content security policy, the same bytes for the same result, and {@code fairbeam report} over
 * several results.
 */
public class ReportCommandTest {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static Path root;
  private static Path result;
  private static String html;

  @BeforeClass
  public static void evaluate() throws Exception {
    root = temp.getRoot().toPath();
    Path data = root.resolve("scores.csv");
    Random random = new Random(11);
    StringBuilder csv = new StringBuilder("label,score,old,group\n");
    for (int i = 0; i < 300; i++) {
      int label = random.nextDouble() < 0.4 ? 1 : 0;
      double noise = random.nextGaussian() * 0.2;
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%.4f,%.4f,%s%n",
              label,
              Math.min(1, Math.max(0, 0.3 + 0.4 * label + noise)),
              Math.min(1, Math.max(0, 0.4 + 0.2 * label + noise)),
              i % 3 == 0 ? "b<&>" : "a"));
    }
    Files.writeString(data, csv);
    Path config = root.resolve("report.pbtxt");
    Files.writeString(
        config,
        "model_specs { name: 'candidate' label_key: 'label' prediction_key: 'score' }\n"
            + "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'old'"
            + " is_baseline: true }\n"
            + "slicing_specs {}\nslicing_specs { feature_keys: 'group' }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' } metrics { class_name: 'AUC' }"
            + " metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' } }\n"
            + "options { compute_confidence_intervals { value: true } }\n");
    result = root.resolve("out");
    assertEquals(
        0,
        Fairbeam.run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            data.toString(),
            "--output",
            result.toString()));
    html = Files.readString(result.resolve("report.html"), StandardCharsets.UTF_8);
  }

  private static ReportData data(String page) throws Exception {
    Matcher island =
        Pattern.compile(
                "<script type=\"application/json\" id=\"fairbeam-data\">(.*?)</script>",
                Pattern.DOTALL)
            .matcher(page);
    assertTrue(island.find());
    ReportData.Builder data = ReportData.newBuilder();
    JsonFormat.parser().merge(island.group(1), data);
    return data.build();
  }

  @Test
  public void theEmbeddedDataEqualsTheResultFiles() throws Exception {
    ReportResult report = data(html).getResults(0);
    int compared = 0;
    for (MetricsForSlice metrics : EvalResultReader.metrics(result)) {
      for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
        String slice =
            metrics.hasCrossSliceKey()
                ? null
                : SliceKey.fromProto(metrics.getSliceKey()).toString();
        ReportSlice entry =
            report.getSlicingMetricsList().stream()
                .filter(s -> s.getSlice().equals(slice))
                .filter(s -> s.getModel().equals(kv.getKey().getModelName()))
                .findFirst()
                .orElseThrow();
        String name = kv.getKey().getName() + (kv.getKey().getIsDiff() ? "_diff" : "");
        ReportMetricValue value = entry.getMetricsOrThrow(name);
        double point =
            value.hasBoundedValue() ? value.getBoundedValue().getValue() : value.getDoubleValue();
        assertEquals(name, kv.getValue().getDoubleValue().getValue(), point, 0);
        if (kv.hasConfidenceInterval()) {
          assertEquals(
              kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue(),
              value.getBoundedValue().getLowerBound(),
              0);
        }
        compared++;
      }
    }
    assertTrue(compared > 50);
    assertEquals(
        EvalResultReader.runSummary(result).getExamplesEvaluated(),
        report.getRun().getExamplesEvaluated());
  }

  @Test
  public void everyValueIsInATableWithoutJavaScript() {
    // The slice whose value holds markup is escaped, in the table and in the data.
    assertThat(html, containsString("<th scope=\"row\">group=b&lt;&amp;&gt;</th>"));
    assertFalse(html.contains("b<&>"));
    assertThat(html, containsString("<table data-metric=\"auc\">"));
    assertThat(
        html, containsString("<th scope=\"col\">candidate</th><th scope=\"col\">baseline</th>"));
    Matcher row =
        Pattern.compile("<tr data-slice=\"Overall\"><th scope=\"row\">Overall</th><td[^>]*>([^<]+)")
            .matcher(html.substring(html.indexOf("<table data-metric=\"auc\">")));
    assertTrue(row.find());
    assertTrue(row.group(1), row.group(1).matches("0\\.\\d+ \\[0\\.\\d+, 0\\.\\d+\\]"));
  }

  @Test
  public void itReachesNoNetworkAndItsStyleAndScriptAreTheOnesThePolicyAllows() throws Exception {
    // No source, no style sheet or import (CSS's url(, not the script's createObjectURL(); links
    // only within the page.
    assertFalse(Pattern.compile("(?i:src\\s*=)|(?<![A-Za-z])url\\(|@import").matcher(html).find());
    Matcher href = Pattern.compile("(?i)href\\s*=\\s*\"([^\"]*)\"").matcher(html);
    while (href.find()) {
      assertTrue(href.group(1), href.group(1).startsWith("#"));
    }
    Matcher csp =
        Pattern.compile(
                "content=\"default-src 'none'; script-src '(sha256-[^']+)'; style-src"
                    + " '(sha256-[^']+)'; img-src data:; base-uri 'none'; form-action 'none'\"")
            .matcher(html);
    assertTrue(csp.find());
    Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
    assertTrue(style.find());
    assertEquals(sha256(style.group(1)), csp.group(2));
    // Two scripts: the data, which no browser runs, and the page's code, allowed by its hash.
    assertEquals(2, html.split("<script", -1).length - 1);
    Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertTrue(script.find());
    assertEquals(sha256(script.group(1)), csp.group(1));
    assertFalse(script.group(1).contains("fetch(") || script.group(1).contains("XMLHttpRequest"));
  }

  private static String sha256(String text) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return "sha256-" + Base64.getEncoder().encodeToString(digest);
  }

  @Test
  public void theReportCommandRendersSeveralResultsTheSameEachTime() throws Exception {
    Path first = root.resolve("a.html");
    Path second = root.resolve("b.html");
    for (Path output : new Path[] {first, second}) {
      assertEquals(
          0,
          Fairbeam.run(
              "report",
              "--results",
              result.toString(),
              "--results",
              result.toString(),
              "--output",
              output.toString()));
    }
    assertEquals(Files.readString(first), Files.readString(second));
    assertEquals(2, data(Files.readString(first)).getResultsCount());
    // An existing file that is not a report is not replaced; a missing result fails.
    Path notes = root.resolve("notes.html");
    Files.writeString(notes, "<p>mine</p>");
    assertEquals(
        Fairbeam.USAGE,
        Fairbeam.run("report", "--results", result.toString(), "--output", notes.toString()));
    assertEquals("<p>mine</p>", Files.readString(notes));
    assertEquals(
        Fairbeam.FAILED,
        Fairbeam.run(
            "report", "--results", root.resolve("none").toString(), "--output", first.toString()));
  }

  @Test
  public void badResultsAndOptionsGetASentenceAndNoOutput() throws Exception {
    Path out = root.resolve("bad.html");
    // A damaged metrics file: the file, the record and what is wrong with it.
    Path truncated = root.resolve("truncated");
    copy(result, truncated);
    Path metrics = truncated.resolve("metrics-00000-of-00001.tfrecord");
    byte[] bytes = Files.readAllBytes(metrics);
    Files.write(metrics, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    CapturedRun r =
        CapturedRun.of("report", "--results", truncated.toString(), "--output", out.toString());
    assertEquals(Fairbeam.FAILED, r.status());
    assertThat(r.err(), containsString(metrics + ": record "));
    assertThat(r.err(), containsString("truncated"));
    // An eval_config.json that is not JSON of an EvalRun, and one that is empty.
    Path garbled = root.resolve("garbled");
    copy(result, garbled);
    for (String text : new String[] {"garbage", ""}) {
      Files.writeString(garbled.resolve("eval_config.json"), text);
      r = CapturedRun.of("report", "--results", garbled.toString(), "--output", out.toString());
      assertEquals(Fairbeam.FAILED, r.status());
      assertThat(r.err(), containsString(garbled.resolve("eval_config.json") + ": "));
    }
    // A parity band outside (0, 1].
    r =
        CapturedRun.of(
            "report",
            "--results",
            result.toString(),
            "--output",
            out.toString(),
            "--parity-ratio",
            "0");
    assertEquals(Fairbeam.USAGE, r.status());
    assertThat(r.err(), containsString("--parity-ratio must be above 0 and at most 1, got 0.0"));
    // One line each, no trace, and nothing written.
    for (String line : r.err().split("\n")) {
      assertFalse(line, line.startsWith("\tat "));
    }
    assertFalse(Files.exists(out));
    assertTrue(Files.list(root).noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
  }

  private static void copy(Path from, Path to) throws java.io.IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  @Test
  public void disabledOutputsReportLeavesItOut() throws Exception {
    Path config = root.resolve("no-report.pbtxt");
    Files.writeString(
        config,
        "model_specs { label_key: 'label' prediction_key: 'score' }\n"
            + "metrics_specs { metrics { class_name: 'AUC' } }\n"
            + "options { disabled_outputs { values: 'report' } }\n");
    Path out = root.resolve("no-report");
    assertEquals(
        0,
        Fairbeam.run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            root.resolve("scores.csv").toString(),
            "--output",
            out.toString()));
    assertFalse(Files.exists(out.resolve("report.html")));
    assertTrue(Files.exists(out.resolve("eval_config.json")));
  }
}
