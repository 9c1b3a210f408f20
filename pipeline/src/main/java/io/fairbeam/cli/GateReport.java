package io.fairbeam.cli;

import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.gate.RubberStamp;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.BaseNodeResult;
import io.fairbeam.proto.ConstraintResult;
import io.fairbeam.proto.tfma.CrossSliceKey;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricThreshold;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.proto.tfma.ValidationFailure;
import io.fairbeam.proto.tfma.ValidationResult;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Every check of a gated run, passing and failing, for CI systems: JUnit XML (one test case per
 * threshold check, missing slice and fairness constraint, which Jenkins, GitLab and GitHub show as
 * tests) and Markdown (for {@code $GITHUB_STEP_SUMMARY} or a pull-request comment). The checks are
 * listed again from the written metrics with the config's thresholds, as TFMA makes them; the
 * verdict is the one in {@code validations.tfrecord}.
 */
final class GateReport {
  /** The JUnit suite of threshold checks. */
  static final String THRESHOLDS = "thresholds";

  /** The JUnit suite of fairness constraints. */
  static final String CONSTRAINTS = "fairness_constraints";

  /**
   * One test case.
   *
   * @param failure why it fails, or null when it passes
   * @param detail what was measured
   */
  record Case(String suite, String name, String failure, String detail) {}

  private final GateVerdict verdict;
  private final List<Case> cases;

  private GateReport(GateVerdict verdict, List<Case> cases) {
    this.verdict = verdict;
    this.cases = cases;
  }

  /** One check's identity: its slice (or cross slice), metric and threshold. */
  private record CheckId(
      io.fairbeam.proto.tfma.SliceKey slice,
      CrossSliceKey cross,
      MetricKey metric,
      MetricThreshold threshold) {}

  /**
   * The checks of the result in {@code output}, evaluated under {@code config} ({@code
   * withoutBaseline}: as a first run).
   */
  static GateReport read(Path output, EvalConfig config, boolean withoutBaseline)
      throws IOException {
    EvalConfig judged = withoutBaseline ? RubberStamp.withoutBaseline(config) : config;
    MetricsValidator validator = MetricsValidator.forConfig(judged);
    ValidationResult validation = EvalResultReader.validation(output);
    // The run judged each check (a rate's use_confidence_bound on its decision interval, which
    // the result files do not hold): a check fails here exactly when the run recorded it failing.
    Map<CheckId, String> failed = new HashMap<>();
    for (MetricsValidationForSlice slice : validation.getMetricValidationsPerSliceList()) {
      for (ValidationFailure failure : slice.getFailuresList()) {
        failed.put(
            new CheckId(
                slice.getSliceKey(),
                slice.getCrossSliceKey(),
                failure.getMetricKey(),
                failure.getMetricThreshold()),
            failure.getMessage());
      }
    }
    List<Case> cases = new ArrayList<>();
    for (MetricsForSlice slice : EvalResultReader.metrics(output)) {
      String where =
          slice.hasCrossSliceKey()
              ? GateVerdict.slice(slice.getCrossSliceKey().getBaselineSliceKey())
                  + " - "
                  + GateVerdict.slice(slice.getCrossSliceKey().getComparisonSliceKey())
              : GateVerdict.slice(slice.getSliceKey());
      for (MetricsValidator.Check check : validator.checks(slice)) {
        if (!check.reported()) {
          continue;
        }
        String failure =
            failed.get(
                new CheckId(
                    slice.getSliceKey(),
                    slice.getCrossSliceKey(),
                    check.key(),
                    check.entry().asMetricThreshold()));
        cases.add(
            new Case(
                THRESHOLDS,
                where
                    + " | "
                    + GateVerdict.metric(check.key())
                    + " | "
                    + MetricsValidator.describe(check.entry().asMetricThreshold()),
                failure,
                check.value() == null
                    ? "no value"
                    : (check.key().getIsDiff() ? "difference " : "value ") + num(check.value())));
      }
    }
    GateVerdict verdict = GateVerdict.of(validation);
    for (GateVerdict.Failure f : verdict.failures()) {
      if (f.metric().isEmpty()) {
        cases.add(new Case(THRESHOLDS, f.slice(), f.reason(), ""));
      }
    }
    for (ConstraintResult c : EvalResultReader.constraints(output).getConstraintsList()) {
      StringBuilder detail =
          new StringBuilder(
              "g = "
                  + c.getG()
                  + ": value "
                  + num(c.getGValue())
                  + ", upper bound "
                  + num(c.getGUpperBound())
                  + " (delta "
                  + num(c.getDelta())
                  + ")");
      for (BaseNodeResult node : c.getBaseNodesList()) {
        detail.append(
            String.format(
                Locale.ROOT,
                "%n%s: n = %d, value %s, bounds [%s, %s]",
                node.getName(),
                node.getN(),
                num(node.getValue()),
                num(node.getLower()),
                num(node.getUpper())));
      }
      cases.add(
          new Case(
              CONSTRAINTS, c.getName(), c.getPassed() ? null : c.getMessage(), detail.toString()));
    }
    return new GateReport(verdict, List.copyOf(cases));
  }

  List<Case> cases() {
    return cases;
  }

  GateVerdict verdict() {
    return verdict;
  }

  private long failures(String suite) {
    return cases.stream()
        .filter(c -> suite == null || c.suite().equals(suite))
        .filter(c -> c.failure() != null)
        .count();
  }

  private long count(String suite) {
    return cases.stream().filter(c -> suite == null || c.suite().equals(suite)).count();
  }

  /** Writes the checks as JUnit XML. */
  void writeJUnit(Path file) throws IOException {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "fairbeam gate");
      xml.writeAttribute("tests", Long.toString(count(null)));
      xml.writeAttribute("failures", Long.toString(failures(null)));
      xml.writeAttribute("errors", "0");
      for (String suite : List.of(THRESHOLDS, CONSTRAINTS)) {
        if (count(suite) == 0) {
          continue;
        }
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", "fairbeam." + suite);
        xml.writeAttribute("tests", Long.toString(count(suite)));
        xml.writeAttribute("failures", Long.toString(failures(suite)));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", "0");
        xml.writeAttribute("time", "0");
        for (Case c : cases) {
          if (!c.suite().equals(suite)) {
            continue;
          }
          xml.writeCharacters("\n    ");
          xml.writeStartElement("testcase");
          xml.writeAttribute("classname", "fairbeam." + suite);
          xml.writeAttribute("name", c.name());
          xml.writeAttribute("time", "0");
          if (c.failure() != null) {
            xml.writeStartElement("failure");
            xml.writeAttribute("message", c.failure());
            xml.writeAttribute("type", suite.equals(CONSTRAINTS) ? "constraint" : "threshold");
            xml.writeCharacters(c.failure() + (c.detail().isEmpty() ? "" : "\n" + c.detail()));
            xml.writeEndElement();
          } else if (!c.detail().isEmpty()) {
            xml.writeStartElement("system-out");
            xml.writeCharacters(c.detail());
            xml.writeEndElement();
          }
          xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
  }

  /** Appends the verdict and the checks as Markdown to {@code file} (created if absent). */
  void writeMarkdown(Path file, String output) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("## Fairbeam gate: ")
        .append(verdict.blessed() ? "✅ BLESSED" : "❌ NOT BLESSED")
        .append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%d of %d checks pass (%d threshold checks, %d fairness constraints). Result: `%s`%n",
            count(null) - failures(null),
            count(null),
            count(THRESHOLDS),
            count(CONSTRAINTS),
            output));
    if (verdict.rubberStamp()) {
      md.append("\nFirst run without a baseline model: change thresholds were not checked.\n");
    }
    if (failures(null) > 0) {
      md.append("\n### Failing checks\n\n| Check | Why |\n| --- | --- |\n");
      for (Case c : cases) {
        if (c.failure() != null) {
          md.append("| ")
              .append(cell(c.name()))
              .append(" | ")
              .append(cell(c.failure()))
              .append(" |\n");
        }
      }
    }
    if (count(CONSTRAINTS) > 0) {
      md.append("\n### Fairness constraints\n\n| Constraint | Verdict | Detail |\n")
          .append("| --- | --- | --- |\n");
      for (Case c : cases) {
        if (c.suite().equals(CONSTRAINTS)) {
          md.append("| ")
              .append(cell(c.name()))
              .append(" | ")
              .append(c.failure() == null ? "holds" : "not shown to hold")
              .append(" | ")
              .append(cell(c.detail().replace("\n", "; ")))
              .append(" |\n");
        }
      }
    }
    long passing = count(THRESHOLDS) - failures(THRESHOLDS);
    if (passing > 0) {
      md.append("\n<details><summary>")
          .append(passing)
          .append(" passing threshold checks</summary>\n\n| Check | Measured |\n| --- | --- |\n");
      for (Case c : cases) {
        if (c.suite().equals(THRESHOLDS) && c.failure() == null) {
          md.append("| ")
              .append(cell(c.name()))
              .append(" | ")
              .append(cell(c.detail()))
              .append(" |\n");
        }
      }
      md.append("\n</details>\n");
    }
    Files.writeString(
        file,
        md.toString(),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** Text safe inside a Markdown table cell. */
  private static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
  }

  private static String num(double v) {
    return MetricsValidator.num(v);
  }
}
