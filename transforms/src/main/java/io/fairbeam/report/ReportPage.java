package io.fairbeam.report;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.eval.DecisionTests;
import io.fairbeam.gate.MetricsValidator;
import io.fairbeam.io.TfmaNames;
import io.fairbeam.proto.BaseNodeResult;
import io.fairbeam.proto.ConstraintResult;
import io.fairbeam.proto.ReportData;
import io.fairbeam.proto.ReportFinding;
import io.fairbeam.proto.ReportIndexGroup;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.proto.tfma.ValidationFailure;
import io.fairbeam.proto.tfma.ValidationResult;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders report data as one self-contained HTML file.
 *
 * <p>What needs no script is written here, as HTML: the verdict and its failing checks, the
 * findings (the largest supported gaps, one sentence each), every gap with its interval and parity
 * judgement, the fairness constraints, suppressed slices and metric errors, the provenance, and
 * every value in a table per metric. The page's own script ({@code report.js}) draws the rest from
 * the data embedded once as JSON ({@code <script type="application/json" id="fairbeam-data">}): the
 * controls, a chart and a sortable table per metric, the threshold explorer and the curves.
 *
 * <p>The content security policy allows no network at all, and only this page's style and script,
 * by hash. The same data gives the same bytes.
 */
public final class ReportPage {
  static final String STYLE = resource("report.css");
  static final String SCRIPT = resource("report.js");

  /** How many findings lead the page; every gap is in the table of gaps. */
  static final int LEADING_FINDINGS = 10;

  /** The table of gaps is open when it has at most this many rows. */
  static final int OPEN_GAPS = 50;

  private ReportPage() {}

  /** The HTML of {@code data}. */
  public static String render(ReportData data) {
    StringBuilder html = new StringBuilder(1 << 16);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("script-src '")
        .append(sha256(SCRIPT))
        .append("'; style-src '")
        .append(sha256(STYLE))
        .append("'; img-src data:; base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Fairbeam report</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n")
        .append("<a class=\"skip\" href=\"#fb-main\">Skip to the report</a>\n")
        .append("<header><h1>Fairbeam report</h1><p class=\"muted\">")
        .append(data.getResultsCount() == 1 ? "One result" : data.getResultsCount() + " results")
        .append(", rendered by Fairbeam ")
        .append(escape(data.getFairbeamVersion()))
        .append(
            ". Parity band: a gap passes when the lower group's value is at least <span"
                + " class=\"parity-band\">")
        .append(ReportFormat.number(data.getParityRatio(), 3))
        .append("</span> × the higher group's.</p></header>\n")
        .append(
            "<div id=\"fb-errors\" role=\"alert\" hidden><p>The page could not draw"
                + " everything:</p><ul></ul></div>\n<main id=\"fb-main\">\n");
    contents(html, data);
    for (int r = 0; r < data.getResultsCount(); r++) {
      summary(html, data.getResults(r), r);
    }
    explorer(html, data);
    // The script runs here, before the long details below are parsed: the explorer is drawn (and
    // usable) while the rest of a large page is still being read.
    html.append("<div id=\"fb-tip\" role=\"tooltip\" hidden></div>\n")
        .append("<script type=\"application/json\" id=\"fairbeam-data\">")
        .append(json(data))
        .append("</script>\n<script>")
        .append(SCRIPT)
        .append("</script>\n");
    for (int r = 0; r < data.getResultsCount(); r++) {
      details(html, data.getResults(r), r);
    }
    for (int r = 0; r < data.getResultsCount(); r++) {
      allSlices(html, data.getResults(r), r);
    }
    html.append("</main>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void contents(StringBuilder html, ReportData data) {
    html.append("<nav aria-label=\"Contents\"><ul>");
    for (int r = 0; r < data.getResultsCount(); r++) {
      String prefix = data.getResultsCount() > 1 ? data.getResults(r).getLocation() + ": " : "";
      link(html, "r" + r + "-summary", prefix + "verdict and findings");
    }
    link(html, "fb-explorer", "Explorer: metrics per slice, thresholds, curves");
    for (int r = 0; r < data.getResultsCount(); r++) {
      String prefix = data.getResultsCount() > 1 ? data.getResults(r).getLocation() + ": " : "";
      link(html, "r" + r + "-gaps", prefix + "gaps between groups");
      link(html, "r" + r + "-provenance", prefix + "provenance");
      if (data.getResults(r).hasSliceIndex()) {
        link(html, "r" + r + "-all-slices", prefix + "all slices");
      }
    }
    html.append("</ul></nav>\n<noscript><p>Without JavaScript the page shows no charts;");
    for (int r = 0; r < data.getResultsCount(); r++) {
      html.append(" <a href=\"#r").append(r).append("-tables\">all values as tables</a>");
    }
    html.append(".</p></noscript>\n");
  }

  private static void link(StringBuilder html, String id, String text) {
    html.append("<li><a href=\"#")
        .append(id)
        .append("\">")
        .append(escape(text))
        .append("</a></li>");
  }

  // ---- Verdict and findings ----

  private static void summary(StringBuilder html, ReportResult result, int r) {
    html.append("<section id=\"r")
        .append(r)
        .append("-summary\">\n<h2>")
        .append(escape(result.getLocation()))
        .append("</h2>\n");
    embeddedSlices(html, result, r);
    verdict(html, result);
    findings(html, result, r);
    html.append("</section>\n");
  }

  /** Says which slices the page holds when the result has more than it embeds. */
  private static void embeddedSlices(StringBuilder html, ReportResult result, int r) {
    long shown = result.getSlicingMetricsList().stream().map(s -> s.getSlice()).distinct().count();
    if (result.getSliceCount() <= shown) {
      return;
    }
    html.append("<p class=\"muted\">This page holds ")
        .append(
            String.format(Locale.ROOT, "%,d of the result's %,d", shown, result.getSliceCount()))
        .append(
            " slices in detail: Overall, both sides of every gap and disparity, then the"
                + " largest. The gaps were found among all of them; <a href=\"#r")
        .append(r)
        .append(
            "-all-slices\">all slices</a> lists every one with its headline values, and the result's"
                + " metrics file holds all their values.</p>\n");
  }

  private static void verdict(StringBuilder html, ReportResult result) {
    boolean judged =
        result.hasValidation() && !result.getValidation().getMissingThresholds()
            || result.getConstraints().getConstraintsCount() > 0;
    if (!judged) {
      html.append(
          "<p class=\"muted\">No verdict: the config has no thresholds and no fairness"
              + " constraints.</p>\n");
      return;
    }
    ValidationResult v = result.getValidation();
    List<String[]> failing = failingChecks(v, SeriesNames.of(result.getRun()));
    boolean ok = v.getValidationOk();
    html.append("<p class=\"verdict ")
        .append(ok ? "blessed\">Verdict: BLESSED" : "not-blessed\">Verdict: NOT BLESSED")
        .append(ok ? "" : " (" + failing.size() + " failing checks)")
        .append(v.getRubberStamp() ? "; first run without a baseline (rubber stamp)" : "")
        .append("</p>\n");
    if (!failing.isEmpty()) {
      html.append("<table class=\"failing\">\n<caption>Failing checks</caption>\n<thead><tr>")
          .append("<th scope=\"col\">Slice</th><th scope=\"col\">Check</th>")
          .append("<th scope=\"col\">Value</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n");
      for (String[] row : failing) {
        html.append("<tr><th scope=\"row\">")
            .append(escape(row[0]))
            .append("</th><td class=\"text\">")
            .append(escape(row[1]))
            .append("</td><td>")
            .append(escape(row[2]))
            .append("</td><td class=\"text\">")
            .append(escape(row[3]))
            .append("</td></tr>\n");
      }
      html.append("</tbody>\n</table>\n");
    }
    constraints(html, result);
  }

  /** Each failing check: slice, check, value, why. */
  private static List<String[]> failingChecks(ValidationResult v, SeriesNames names) {
    List<String[]> rows = new ArrayList<>();
    for (MetricsValidationForSlice slice : v.getMetricValidationsPerSliceList()) {
      String label =
          slice.hasCrossSliceKey()
              ? SliceKey.label(slice.getCrossSliceKey())
              : SliceKey.fromProto(slice.getSliceKey()).label();
      for (ValidationFailure f : slice.getFailuresList()) {
        String model = names.of(f.getMetricKey());
        String check =
            ReportFormat.metricLabel(f.getMetricKey().getName())
                + (f.getMetricKey().getIsDiff() ? " (change from the baseline model)" : "")
                + (model.isEmpty() ? "" : " of " + model)
                + ": "
                + MetricsValidator.describe(f.getMetricThreshold());
        String value =
            f.getMetricValue().hasDoubleValue()
                ? ReportFormat.number(f.getMetricValue().getDoubleValue().getValue())
                : "";
        rows.add(new String[] {label, check, value, f.getMessage()});
      }
    }
    for (var missing : v.getMissingSlicesList()) {
      rows.add(
          new String[] {
            TextFormat.printer().shortDebugString(missing),
            "a threshold's slice",
            "",
            "no slice matches this spec"
          });
    }
    for (var missing : v.getMissingCrossSlicesList()) {
      rows.add(
          new String[] {
            TextFormat.printer().shortDebugString(missing),
            "a threshold's cross slice",
            "",
            "the cross slice is missing"
          });
    }
    return rows;
  }

  private static void constraints(StringBuilder html, ReportResult result) {
    if (result.getConstraints().getConstraintsCount() == 0) {
      return;
    }
    html.append("<table class=\"constraints\">\n<caption>Fairness constraints (high-confidence")
        .append(" upper bound of g must be at most 0)</caption>\n<thead><tr>")
        .append("<th scope=\"col\">Constraint</th><th scope=\"col\">Model</th>")
        .append("<th scope=\"col\">g</th><th scope=\"col\">δ</th><th scope=\"col\">g's value</th>")
        .append("<th scope=\"col\">Upper bound of g</th><th scope=\"col\">Result</th>")
        .append("<th scope=\"col\">Measures</th></tr></thead>\n<tbody>\n");
    for (ConstraintResult c : result.getConstraints().getConstraintsList()) {
      html.append("<tr><th scope=\"row\">")
          .append(escape(c.getName()))
          .append("<br><code>")
          .append(escape(c.getConstraint()))
          .append("</code></th><td class=\"text\">")
          .append(escape(c.getModelName()))
          .append("</td><td class=\"text\"><code>")
          .append(escape(c.getG()))
          .append("</code></td><td>")
          .append(ReportFormat.number(c.getDelta()))
          .append("</td><td>")
          .append(ReportFormat.number(c.getGValue()))
          .append("</td><td>")
          .append(ReportFormat.number(c.getGUpperBound()))
          .append("</td><td class=\"")
          .append(c.getPassed() ? "passes\">passes" : "fails\">fails")
          .append("</td><td class=\"text\">");
      for (BaseNodeResult node : c.getBaseNodesList()) {
        html.append(escape(node.getName()))
            .append(" = ")
            .append(ReportFormat.number(node.getValue()))
            .append(" [")
            .append(ReportFormat.number(node.getLower()))
            .append(", ")
            .append(ReportFormat.number(node.getUpper()))
            .append("], n = ")
            .append(String.format(Locale.ROOT, "%,d", node.getN()))
            .append("<br>");
      }
      html.append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static void findings(StringBuilder html, ReportResult result, int r) {
    html.append("<h3>Findings</h3>\n");
    List<ReportFinding> all = result.getFindingsList();
    if (all.isEmpty()) {
      html.append("<p>No gaps: no feature has two slices with a value of the same metric.</p>\n");
      return;
    }
    List<ReportFinding> supported =
        ReportFindings.distinct(
            all.stream().filter(f -> f.getSupport().equals(ReportFindings.SIGNIFICANT)).toList());
    boolean tested = all.stream().anyMatch(ReportFinding::getHasInterval);
    if (!tested) {
      html.append("<p>The result has no confidence intervals, so no gap is tested; the largest")
          .append(" are listed. Set <code>compute_confidence_intervals</code> to know which")
          .append(" are real.</p>\n");
    } else if (supported.isEmpty()) {
      html.append("<p>No gap between groups is statistically supported. The largest, none of")
          .append(" them supported:</p>\n");
    } else {
      html.append("<p>")
          .append(supported.size())
          .append(supported.size() == 1 ? " gap is" : " gaps are")
          .append(" statistically supported")
          .append(
              result.getDisparities().getConfidenceLevel() > 0
                  ? " (Holm-adjusted over every gap of the run)"
                  : " (the two slices' intervals do not overlap)")
          .append("; the largest first:</p>\n");
    }
    List<ReportFinding> lead = supported.isEmpty() ? ReportFindings.distinct(all) : supported;
    html.append("<ol class=\"findings\">\n");
    for (ReportFinding f : lead.subList(0, Math.min(LEADING_FINDINGS, lead.size()))) {
      html.append("<li data-metric=\"")
          .append(escape(f.getMetric()))
          .append("\"><a href=\"")
          .append(escape(viewLink(result, f)))
          .append("\">")
          .append(escape(f.getSentence()))
          .append("</a> ")
          .append(ratioText(f))
          .append("<span class=\"badge ")
          .append(f.getParity().replace(' ', '-'))
          .append("\">parity band: ")
          .append(escape(f.getParity()))
          .append("</span></li>\n");
    }
    html.append("</ol>\n");
    if (lead.size() > LEADING_FINDINGS) {
      html.append("<p><a href=\"#r")
          .append(r)
          .append("-gaps\">All ")
          .append(all.size())
          .append(" gaps</a></p>\n");
    }
  }

  private static String ratioText(ReportFinding f) {
    if (!f.getHasInterval() || Double.isNaN(f.getRatio())) {
      return "";
    }
    return "Ratio "
        + ReportFormat.number(f.getRatio(), 3)
        + " ["
        + ReportFormat.number(f.getRatioLower(), 3)
        + ", "
        + ReportFormat.number(f.getRatioUpper(), 3)
        + "]"
        + (Double.isNaN(f.getAdjustedPValue())
            ? ""
            : ", adjusted p = " + ReportFormat.number(f.getAdjustedPValue(), 2))
        + ". ";
  }

  /** The explorer's state that shows a finding: its metric and threshold, its feature's slices. */
  static String viewLink(ReportResult result, ReportFinding f) {
    String metric = f.getMetric();
    String base = metric;
    String threshold = "";
    int at = metric.lastIndexOf('@');
    if (at > 0 && metric.substring(at + 1).matches("[-+0-9.eE]+")) {
      base = metric.substring(0, at);
      threshold = metric.substring(at + 1);
    }
    Set<String> slices = new LinkedHashSet<>();
    slices.add(f.getLow().getSlice());
    for (ReportSlice s : result.getSlicingMetricsList()) {
      if (s.getFeature().equals(f.getFeature())) {
        slices.add(s.getSlice());
      }
    }
    return "#m="
        + uriComponent(base)
        + "&t="
        + uriComponent(threshold)
        + "&ref="
        + uriComponent(f.getLow().getSlice())
        + "&s="
        + String.join(",", slices.stream().map(ReportPage::uriComponent).toList());
  }

  /** JavaScript's encodeURIComponent, which the page's script decodes. */
  static String uriComponent(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 128 && (Character.isLetterOrDigit(c) || "-_.!~*'()".indexOf(c) >= 0)) {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "%%%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  // ---- The explorer (drawn by the script) ----

  private static void explorer(StringBuilder html, ReportData data) {
    html.append("<section id=\"fb-explorer\" aria-labelledby=\"fb-explorer-title\">\n")
        .append("<h2 id=\"fb-explorer-title\">Explorer</h2>\n")
        .append("<p class=\"nojs\">The charts and controls need JavaScript; every number is in")
        .append(" the tables further down.</p>\n");
    decisionNote(html, data);
    html.append("<div id=\"fb-panels\" aria-live=\"polite\"></div>\n")
        .append("<h3>Threshold explorer</h3>\n<div id=\"fb-thresholds-panel\"></div>\n");
    if (data.getResultsList().stream().anyMatch(r -> r.getPlotsCount() > 0)) {
      html.append("<h3>ROC, precision-recall and calibration</h3>\n")
          .append("<div id=\"fb-curves-panel\"></div>\n");
    }
    html.append("</section>\n");
  }

  /**
   * What the explorer's two intervals are, when the result has decision intervals: TFMA's
   * (resampled, as its files hold them) and Fairbeam's from the counts, with the run's method.
   */
  private static void decisionNote(StringBuilder html, ReportData data) {
    for (ReportResult result : data.getResultsList()) {
      if (result.getSlicingMetricsList().stream().noneMatch(s -> s.getDecisionsCount() > 0)) {
        continue;
      }
      DecisionTests tests = DecisionTests.of(result.getRun().getDecisionIntervals());
      html.append("<p class=\"decision-note\">Each value's whisker is TFMA's interval (as its")
          .append(" files hold it, absent without <code>compute_confidence_intervals</code>);")
          .append(" the pale band behind it and the <em>decision interval</em> column are")
          .append(" Fairbeam's, computed from the counts behind the value: ")
          .append(escape(tests.rateMethod()))
          .append(" for a rate, ")
          .append(escape(tests.aucMethod()))
          .append(" for an AUC, at ")
          .append(ReportFormat.number(tests.level() * 100))
          .append("%. They stay inside [0, 1] and keep their width on small slices, where")
          .append(" resampled intervals collapse; findings and gates decide on them.</p>\n");
      return;
    }
  }

  /**
   * The table of every slice, when the page details only some: the script pages through the compact
   * index embedded after it (kept out of the page's main data, which the explorer reads at once).
   */
  private static void allSlices(StringBuilder html, ReportResult result, int r) {
    if (!result.hasSliceIndex()) {
      return;
    }
    html.append("<section id=\"r")
        .append(r)
        .append("-all-slices\" class=\"all-slices\" data-index=\"fb-index-r")
        .append(r)
        .append("\" data-result=\"")
        .append(r)
        .append("\">\n<h2>")
        .append(escape(result.getLocation()))
        .append(": all ")
        .append(
            String.format(
                Locale.ROOT,
                "%,d",
                result.getSliceIndex().getGroupsList().stream()
                    .mapToInt(ReportIndexGroup::getSlices)
                    .sum()))
        .append(" slices</h2>\n<p class=\"muted\">Every slice with its example count and")
        .append(" headline metrics, to 4 decimal places (the metrics file holds the exact values):")
        .append(" search by name, sort by a column, page through them. A slice the page details")
        .append(" opens in the explorer.</p>\n<p class=\"nojs\">The table of all slices needs")
        .append(" JavaScript.</p>\n<div class=\"index-view\"></div>\n</section>\n")
        .append("<script type=\"application/json\" id=\"fb-index-r")
        .append(r)
        .append("\">")
        .append(print(result.getSliceIndex(), false))
        .append("</script>\n");
  }

  // ---- Gaps, suppressed slices, provenance, tables ----

  private static void details(StringBuilder html, ReportResult result, int r) {
    html.append("<section id=\"r")
        .append(r)
        .append("-details\">\n<h2>")
        .append(escape(result.getLocation()))
        .append(": details</h2>\n");
    gaps(html, result, r);
    suppressed(html, result);
    provenance(html, result, r);
    tables(html, result, r);
    html.append("</section>\n");
  }

  private static void gaps(StringBuilder html, ReportResult result, int r) {
    html.append("<h3 id=\"r").append(r).append("-gaps\">Gaps between groups</h3>\n");
    if (result.getFindingsCount() == 0) {
      html.append("<p>None.</p>\n");
      return;
    }
    html.append("<p>For each metric and feature, the slice with the highest value against the")
        .append(" one with the lowest. The parity band is judged on the ratio's interval:")
        .append(" <em>passes</em> when its lower bound is in the band, <em>fails</em> when its")
        .append(" upper bound is outside, <em>inconclusive</em> otherwise; without an interval,")
        .append(" on the value alone.")
        .append(
            result.getDisparities().getConfidenceLevel() > 0
                ? " A rate is judged from its counts: a "
                    + DecisionTests.of(result.getRun().getDecisionIntervals()).rateMethod()
                    + " interval for"
                    + " each slice, Newcombe's for the difference and its p-value, Koopman's for"
                    + " the ratio, so a handful of examples cannot make a gap certain; a slice"
                    + " with fewer examples behind the rate than the run's minimum is shown in the"
                    + " table but is never one side of a finding. An AUC is judged from its"
                    + " positives and negatives (a score interval for each slice, MOVER's for the"
                    + " difference); other metrics from the two slices' paired replicates."
                : result.getFindingsList().stream().anyMatch(ReportFinding::getHasInterval)
                    ? " This result has no paired replicates (TFMA's output): a gap is supported"
                        + " when the two intervals do not overlap, and the ratio's interval is"
                        + " bounded from the two."
                    : " This result has no intervals, so no gap is tested.")
        .append("</p>\n<details")
        // Open when short; a long table is laid out only when asked for, so the page opens fast.
        .append(result.getFindingsCount() <= OPEN_GAPS ? " open" : "")
        .append("><summary>")
        .append(result.getFindingsCount())
        .append(" gaps</summary>\n<table class=\"gaps\">\n<thead><tr><th scope=\"col\">Metric</th>")
        .append("<th scope=\"col\">Model</th><th scope=\"col\">Feature</th>")
        .append("<th scope=\"col\">Highest</th><th scope=\"col\">Lowest</th>")
        .append("<th scope=\"col\">Difference</th><th scope=\"col\">Ratio</th>")
        .append("<th scope=\"col\">Supported</th><th scope=\"col\">Parity band</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (ReportFinding f : result.getFindingsList()) {
      html.append("<tr data-metric=\"")
          .append(escape(f.getMetric()))
          .append("\"><th scope=\"row\">")
          .append(escape(ReportFormat.metricLabel(f.getMetric())))
          .append("</th><td class=\"text\">")
          .append(escape(f.getModel()))
          .append("</td><td class=\"text\">")
          .append(escape(f.getFeature()))
          .append("</td><td class=\"text\">")
          .append(
              escape(f.getHigh().getLabel() + ": " + ReportFormat.value(f.getHigh().getValue())))
          .append("</td><td class=\"text\">")
          .append(escape(f.getLow().getLabel() + ": " + ReportFormat.value(f.getLow().getValue())))
          .append("</td><td>")
          .append(estimate(f.getDifference(), f.getDifferenceLower(), f.getDifferenceUpper(), f))
          .append("</td><td>")
          .append(estimate(f.getRatio(), f.getRatioLower(), f.getRatioUpper(), f))
          .append("</td><td class=\"text\">")
          .append(escape(f.getSupport()))
          .append(
              Double.isNaN(f.getAdjustedPValue())
                  ? ""
                  : " (p = " + ReportFormat.number(f.getAdjustedPValue(), 2) + ")")
          .append("</td><td data-parity-cell data-ratio=\"")
          .append(f.getRatio())
          .append("\" data-ratio-lower=\"")
          .append(f.getRatioLower())
          .append("\" data-ratio-upper=\"")
          .append(f.getRatioUpper())
          .append("\" data-has-interval=\"")
          .append(f.getHasInterval())
          .append("\" class=\"")
          .append(f.getParity().replace(' ', '-'))
          .append("\">")
          .append(escape(f.getParity()))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n</details>\n");
  }

  private static String estimate(double value, double lower, double upper, ReportFinding f) {
    String v = ReportFormat.number(value, 3);
    return f.getHasInterval()
        ? v + " [" + ReportFormat.number(lower, 3) + ", " + ReportFormat.number(upper, 3) + "]"
        : v;
  }

  private static void suppressed(StringBuilder html, ReportResult result) {
    List<String> rows = new ArrayList<>();
    for (ReportSlice s : result.getSlicingMetricsList()) {
      for (Map.Entry<String, ReportMetricValue> m : s.getMetricsMap().entrySet()) {
        if (m.getValue().getKindCase() == ReportMetricValue.KindCase.ERROR) {
          String what =
              m.getKey().equals(TfmaNames.ERROR_KEY)
                  ? "suppressed"
                  : ReportFormat.metricLabel(m.getKey());
          rows.add(
              "<tr><th scope=\"row\">"
                  + escape(s.getLabel())
                  + "</th><td class=\"text\">"
                  + escape(s.getModel())
                  + "</td><td class=\"text\">"
                  + escape(what)
                  + "</td><td class=\"text\">"
                  + escape(m.getValue().getError())
                  + "</td></tr>\n");
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    html.append("<table class=\"suppressed\">\n<caption>Suppressed slices and metric errors")
        .append("</caption>\n<thead><tr><th scope=\"col\">Slice</th><th scope=\"col\">Model</th>")
        .append("<th scope=\"col\">What</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
    rows.stream().sorted().forEach(html::append);
    html.append("</tbody>\n</table>\n");
  }

  private static void provenance(StringBuilder html, ReportResult result, int r) {
    html.append("<h3 id=\"r").append(r).append("-provenance\">Provenance</h3>\n<dl>");
    term(html, "Result", result.getLocation());
    term(html, "Data", result.getEvalRun().getDataLocation());
    term(html, "Format", result.getEvalRun().getFileFormat());
    result.getEvalRun().getModelLocationsMap().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> term(html, "Model " + (e.getKey().isEmpty() ? "" : e.getKey()), e.getValue()));
    if (result.hasRun()) {
      RunSummary run = result.getRun();
      term(
          html,
          "Examples",
          String.format(
              Locale.ROOT,
              "%,d evaluated of %,d records read, %,d skipped (bad records: %s)",
              run.getExamplesEvaluated(),
              run.getRecordsRead(),
              run.getRecordsSkipped(),
              run.getBadRecordsPolicy().isEmpty() ? "fail" : run.getBadRecordsPolicy()));
      if (run.hasConfidenceIntervals()) {
        var ci = run.getConfidenceIntervals();
        term(
            html,
            "Intervals",
            String.format(
                Locale.ROOT,
                "%s, %d samples, %.0f%% level, seed %d",
                ci.getMethod(),
                ci.getSamples(),
                ci.getLevel() * 100,
                ci.getSeed()));
      }
      for (String warning : run.getWarningsList()) {
        term(html, "Warning", warning);
      }
    }
    term(html, "Written by", result.getEvalRun().getVersion());
    term(
        html,
        "Time",
        "not recorded: a rerun on the same data writes the same bytes, so the result's files"
            + " carry their time");
    html.append("</dl>\n");
    if (result.getEvalRun().hasEvalConfig()) {
      html.append("<details><summary>EvalConfig</summary><pre>")
          .append(escape(TextFormat.printer().printToString(result.getEvalRun().getEvalConfig())))
          .append("</pre></details>\n");
    }
  }

  /**
   * Every value in a table per metric, for a browser without JavaScript (the explorer shows the
   * same with it). Inside {@code <noscript>}, a browser that runs the script reads them as text
   * without building them: a report of 1,000 slices × 200 metrics opens in a fraction of the time.
   */
  private static void tables(StringBuilder html, ReportResult result, int r) {
    html.append("<noscript><details id=\"r")
        .append(r)
        .append("-tables\"><summary>All values as tables (every metric, slice and model)")
        .append("</summary>\n");
    List<String> models = new ArrayList<>();
    Set<String> metrics = new LinkedHashSet<>();
    List<String> sliceOrder = new ArrayList<>();
    Map<String, ReportSlice> bySliceAndModel = new HashMap<>();
    Map<String, ReportSlice> firstOfSlice = new HashMap<>();
    for (ReportSlice slice : result.getSlicingMetricsList()) {
      if (!models.contains(slice.getModel())) {
        models.add(slice.getModel());
      }
      if (firstOfSlice.putIfAbsent(slice.getSlice(), slice) == null) {
        sliceOrder.add(slice.getSlice());
      }
      bySliceAndModel.put(slice.getSlice() + "\n" + slice.getModel(), slice);
      metrics.addAll(slice.getMetricsMap().keySet());
    }
    metrics.remove(TfmaNames.ERROR_KEY);
    for (String metric : metrics) {
      table(html, metric, models, sliceOrder, bySliceAndModel, firstOfSlice);
    }
    html.append("</details></noscript>\n");
  }

  private static void table(
      StringBuilder html,
      String metric,
      List<String> allModels,
      List<String> sliceOrder,
      Map<String, ReportSlice> bySliceAndModel,
      Map<String, ReportSlice> firstOfSlice) {
    // Only the models that have the metric: a difference from the baseline is the candidate's.
    List<String> models = new ArrayList<>();
    for (String model : allModels) {
      for (String slice : sliceOrder) {
        ReportSlice of = bySliceAndModel.get(slice + "\n" + model);
        if (of != null && of.getMetricsMap().containsKey(metric)) {
          models.add(model);
          break;
        }
      }
    }
    html.append("<table data-metric=\"")
        .append(escape(metric))
        .append("\">\n<caption>")
        .append(escape(ReportFormat.metricLabel(metric)))
        .append("</caption>\n<thead><tr><th scope=\"col\">Slice</th>");
    for (String model : models) {
      html.append("<th scope=\"col\">")
          .append(escape(model.isEmpty() ? "value" : model))
          .append("</th>");
    }
    // The example counts are the table of example_count; the other tables leave them out.
    html.append("</tr></thead>\n<tbody>\n");
    for (String slice : sliceOrder) {
      StringBuilder row = new StringBuilder();
      boolean any = false;
      for (String model : models) {
        ReportSlice of = bySliceAndModel.get(slice + "\n" + model);
        ReportMetricValue value = of == null ? null : of.getMetricsMap().get(metric);
        if (value == null && of != null && of.getMetricsMap().containsKey(TfmaNames.ERROR_KEY)) {
          value = of.getMetricsMap().get(TfmaNames.ERROR_KEY);
        }
        row.append("<td>").append(escape(ReportFormat.value(value))).append("</td>");
        any |= value != null;
      }
      if (!any) {
        continue;
      }
      html.append("<tr data-slice=\"")
          .append(escape(slice))
          .append("\"><th scope=\"row\">")
          .append(escape(firstOfSlice.get(slice).getLabel()))
          .append("</th>")
          .append(row)
          .append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static void term(StringBuilder html, String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    html.append("<dt>")
        .append(escape(name.strip()))
        .append("</dt><dd>")
        .append(escape(value))
        .append("</dd>");
  }

  /**
   * The data as JSON, every field included, safe inside a script element (JsonFormat escapes {@code
   * <}).
   */
  static String json(ReportData data) {
    ReportData.Builder withoutIndexes = data.toBuilder();
    withoutIndexes.getResultsBuilderList().forEach(ReportResult.Builder::clearSliceIndex);
    // Every field, zeros included: a script reading boundedValue finds lowerBound 0 there.
    return print(withoutIndexes.build(), true);
  }

  private static String print(com.google.protobuf.MessageOrBuilder message, boolean defaults) {
    try {
      JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
      return (defaults ? printer.includingDefaultValueFields() : printer).print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print the report data", e);
    }
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The CSP source of {@code text}: {@code sha256-<base64>}. */
  static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the report's " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
