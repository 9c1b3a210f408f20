package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.ConstraintReport;
import io.fairbeam.proto.tfma.ValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The gate on the command line: exit statuses 0 (blessed), 3 (evaluated, not blessed, result
 * written), 2 (bad usage, before any data is read) and 1 (the run failed, no verdict left behind);
 * the blessing files; the verdict lines; JUnit XML read by Maven's own parser; the Markdown.
 */
public class GateCommandTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private Path data;
  private Path root;

  /** Two groups; the candidate's score is better than the baseline's, and group b is smaller. */
  @Before
  public void writeData() throws Exception {
    root = temp.getRoot().toPath();
    data = root.resolve("scores.csv");
    Random random = new Random(7);
    StringBuilder csv = new StringBuilder("label,score,old,group\n");
    for (int i = 0; i < 400; i++) {
      int label = random.nextDouble() < 0.4 ? 1 : 0;
      double noise = random.nextGaussian() * 0.2;
      double score = Math.min(1, Math.max(0, 0.3 + 0.4 * label + noise));
      double old = Math.min(1, Math.max(0, 0.4 + 0.2 * label + noise));
      csv.append(
          String.format(
              Locale.ROOT, "%d,%.4f,%.4f,%s%n", label, score, old, i % 4 == 0 ? "b" : "a"));
    }
    Files.writeString(data, csv);
  }

  private Path config(String thresholdsAndConstraints) throws Exception {
    Path config = root.resolve("gate-" + System.nanoTime() + ".pbtxt");
    Files.writeString(
        config,
        "model_specs { name: 'candidate' label_key: 'label' prediction_key: 'score' }\n"
            + "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'old'"
            + " is_baseline: true }\n"
            + "slicing_specs {}\nslicing_specs { feature_keys: 'group' }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' }\n"
            + thresholdsAndConstraints
            + "\n");
    return config;
  }

  private static final String PASSING =
      "metrics { class_name: 'AUC' threshold { value_threshold { lower_bound { value: 0.6 } }"
          + " change_threshold { absolute { value: 0 } direction: HIGHER_IS_BETTER } } } }";

  private static final String FAILING =
      "metrics { class_name: 'AUC' threshold { value_threshold { lower_bound { value: 0.99 } } }"
          + " } }\n"
          + "fairness_constraints { name: 'AUC-free accuracy parity' delta: 0.05"
          + " constraint: 'min((ACC | [A])/(ACC | [B]),(ACC | [B])/(ACC | [A])) >= 0.99'"
          + " groups { key: 'A' value { feature_values { key: 'group' value: 'a' } } }"
          + " groups { key: 'B' value { feature_values { key: 'group' value: 'b' } } } }";

  private static CapturedRun run(String... args) {
    return CapturedRun.of(args);
  }

  /**
   * Evaluates {@code input} under {@code config} into out/, with the blessing in {@code blessing}.
   */
  private CapturedRun gate(Path config, Path input, Path blessing) {
    return run(
        "evaluate",
        "--config",
        config.toString(),
        "--data",
        input.toString(),
        "--output",
        root.resolve("out").toString(),
        "--blessing",
        blessing.toString());
  }

  /** A blessing directory holding an earlier run's BLESSED. */
  private Path earlierBlessing() throws Exception {
    Path blessing = root.resolve("blessing");
    Files.createDirectories(blessing);
    Files.createFile(blessing.resolve("BLESSED"));
    return blessing;
  }

  @Test
  public void aPassingModelIsBlessedWithStatusZero() throws Exception {
    Path blessing = root.resolve("blessing");
    CapturedRun r = gate(config(PASSING), data, blessing);
    assertEquals(r.err(), 0, r.status());
    assertThat(r.out(), containsString("Verdict: BLESSED (every check holds)"));
    assertTrue(Files.exists(blessing.resolve("BLESSED")));
    assertEquals(0, Files.size(blessing.resolve("BLESSED")));
    assertFalse(Files.exists(blessing.resolve("NOT_BLESSED")));
    assertTrue(EvalResultReader.validation(root.resolve("out")).getValidationOk());
  }

  @Test
  public void aFailingModelExitsThreeWithItsCompleteResultAndEveryCheckReported() throws Exception {
    Path blessing = root.resolve("blessing");
    Files.createDirectories(blessing);
    Files.createFile(blessing.resolve("BLESSED")); // an earlier run's verdict
    Files.writeString(blessing.resolve("notes.txt"), "not Fairbeam's");
    Path junit = root.resolve("gate.xml");
    Path summary = root.resolve("summary.md");
    Files.writeString(summary, "# Earlier step\n");
    Path out = root.resolve("out");
    CapturedRun r =
        run(
            "evaluate",
            "--config",
            config(FAILING).toString(),
            "--data",
            data.toString(),
            "--output",
            out.toString(),
            "--blessing",
            blessing.toString(),
            "--junit",
            junit.toString(),
            "--summary",
            summary.toString());
    assertEquals(r.err(), Fairbeam.NOT_BLESSED, r.status());
    assertTrue(Files.exists(blessing.resolve("NOT_BLESSED")));
    assertFalse(Files.exists(blessing.resolve("BLESSED")));
    assertEquals("not Fairbeam's", Files.readString(blessing.resolve("notes.txt")));
    // The complete result is written.
    assertEquals(3, EvalResultReader.metrics(out).size());
    ValidationResult validation = EvalResultReader.validation(out);
    assertFalse(validation.getValidationOk());
    ConstraintReport constraints = EvalResultReader.constraints(out);
    assertEquals(1, constraints.getConstraintsCount());
    assertFalse(constraints.getConstraints(0).getPassed());
    // The terminal: the verdict and each failing check with its value and bound.
    assertThat(r.out(), containsString("Verdict: NOT BLESSED (4 failing checks)"));
    assertThat(r.out(), containsString("FAIL Overall | auc (candidate) | >= 0.99 | value "));
    assertThat(r.out(), containsString("is below lower_bound 0.99"));
    assertThat(r.out(), containsString("fairness constraint 'AUC-free accuracy parity' is not"));
    // JUnit XML, read by Maven's own parser: every check a test case, failures marked.
    List<ReportTestSuite> suites =
        new TestSuiteXmlParser(new NullConsoleLogger()).parse(junit.toString());
    assertEquals(2, suites.size());
    ReportTestSuite thresholds = suites.get(0);
    assertEquals(3, thresholds.getNumberOfTests());
    assertEquals(3, thresholds.getNumberOfFailures());
    ReportTestSuite constraintSuite = suites.get(1);
    assertEquals(1, constraintSuite.getNumberOfTests());
    ReportTestCase constraint = constraintSuite.getTestCases().get(0);
    assertEquals("AUC-free accuracy parity", constraint.getName());
    assertTrue(constraint.hasFailure());
    assertThat(constraint.getFailureMessage(), containsString("upper bound of g"));
    // Markdown, appended after what was there.
    String md = Files.readString(summary);
    assertTrue(md.startsWith("# Earlier step\n## Fairbeam gate: ❌ NOT BLESSED"));
    assertThat(md, containsString("0 of 4 checks pass"));
    assertThat(md, containsString("| Overall \\| auc (candidate) \\| >= 0.99 |"));
  }

  @Test
  public void aFirstRunWithoutBaselineDropsChangeThresholds() throws Exception {
    Path out = root.resolve("first");
    CapturedRun r =
        run(
            "evaluate",
            "--config",
            config(PASSING).toString(),
            "--data",
            data.toString(),
            "--output",
            out.toString(),
            "--no-baseline");
    assertEquals(r.err(), 0, r.status());
    assertThat(r.out(), containsString("first run without a baseline"));
    ValidationResult v = EvalResultReader.validation(out);
    assertTrue(v.getRubberStamp());
    assertTrue(v.getValidationOk());
  }

  @Test
  public void changeThresholdsWithoutABaselineAreABadConfig() throws Exception {
    Path config = root.resolve("single.pbtxt");
    Files.writeString(
        config,
        "model_specs { label_key: 'label' prediction_key: 'score' }\n"
            + "metrics_specs { metrics { class_name: 'AUC' threshold { change_threshold {"
            + " absolute { value: 0 } direction: HIGHER_IS_BETTER } } } }\n");
    CapturedRun r =
        run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            data.toString(),
            "--output",
            root.resolve("out").toString());
    assertEquals(Fairbeam.USAGE, r.status());
    assertThat(r.err(), containsString("line 2"));
    assertThat(r.err(), containsString("--no-baseline"));
  }

  @Test
  public void gateOptionsWithoutThresholdsAreRefusedBeforeReading() throws Exception {
    Path config = root.resolve("plain.pbtxt");
    Files.writeString(
        config,
        "model_specs { label_key: 'label' prediction_key: 'score' }\n"
            + "metrics_specs { metrics { class_name: 'AUC' } }\n");
    for (String option : List.of("--blessing", "--junit", "--summary")) {
      CapturedRun r =
          run(
              "evaluate",
              "--config",
              config.toString(),
              "--data",
              root + "/missing.csv",
              "--output",
              root.resolve("out").toString(),
              option,
              root.resolve("x").toString());
      assertEquals(r.err(), Fairbeam.USAGE, r.status());
      assertThat(r.err(), containsString(option + ": the config has no thresholds"));
    }
    // Without a gate option, a config without thresholds is an ordinary evaluation: status 0.
    CapturedRun plain =
        run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            data.toString(),
            "--output",
            root.resolve("plain").toString());
    assertEquals(plain.err(), 0, plain.status());
    assertThat(plain.out(), not(containsString("Verdict")));
  }

  @Test
  public void aFailedRunLeavesNoVerdictBehind() throws Exception {
    Path blessing = earlierBlessing();
    Path bad = root.resolve("bad.csv");
    Files.writeString(bad, "label,score,old,group\n1,0.5,0.5,a\n7,0.5,0.5,b\n");
    CapturedRun r = gate(config(PASSING), bad, blessing);
    assertEquals(Fairbeam.FAILED, r.status());
    assertFalse(Files.exists(blessing.resolve("BLESSED")));
    assertFalse(Files.exists(blessing.resolve("NOT_BLESSED")));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  public void aBadConfigAlsoLeavesNoEarlierVerdict() throws Exception {
    Path blessing = earlierBlessing();
    CapturedRun r = gate(config(PASSING.replace("AUC", "AUCC")), data, blessing);
    assertEquals(r.err(), Fairbeam.USAGE, r.status());
    assertFalse(Files.exists(blessing.resolve("BLESSED")));
  }

  @Test
  public void aMarkerThatIsNotEmptyIsNotReplaced() throws Exception {
    Path blessing = root.resolve("blessing");
    Files.createDirectories(blessing);
    Files.writeString(blessing.resolve("BLESSED"), "someone's notes");
    CapturedRun r = gate(config(PASSING), data, blessing);
    assertEquals(Fairbeam.USAGE, r.status());
    assertEquals("someone's notes", Files.readString(blessing.resolve("BLESSED")));
    assertFalse(Files.exists(root.resolve("out")));
  }

  @Test
  public void helpDocumentsTheExitStatusesAndGateOptions() {
    CapturedRun r = run("evaluate", "--help");
    for (String text :
        List.of(
            "--blessing",
            "--junit",
            "--summary",
            "--no-baseline",
            "  3  the model was evaluated and is not blessed")) {
      assertThat(r.out(), containsString(text));
    }
  }
}
