package io.fairbeam.report;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.proto.ReportData;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.tfma.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders report data as one self-contained HTML file: the data embedded once as JSON ({@code
 * <script type="application/json" id="fairbeam-data">}), and every number readable without
 * JavaScript in real tables (one per metric: each slice's value and interval per model, and its
 * example count), under a content security policy that allows no network at all and only the page's
 * own style, by hash. The same data gives the same bytes.
 */
public final class ReportPage {
  /** The page's one style sheet; its hash is in the content security policy. */
  static final String STYLE =
      String.join(
          "\n",
          "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;"
              + "color:#1a1a1a;background:#fff;max-width:80rem}",
          "h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1rem}",
          "table{border-collapse:collapse;margin:.5rem 0 1.5rem}",
          "th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:right}",
          "th[scope=row],th:first-child,caption{text-align:left}"
              + "caption{font-weight:600;padding:.25rem 0}",
          "td.interval{color:#444}.verdict{padding:.5rem .75rem;border:2px solid}",
          ".blessed{border-color:#1b7a3a}.not-blessed{border-color:#b00020}",
          "dl{display:grid;grid-template-columns:max-content auto;gap:.25rem 1rem}dd{margin:0}",
          "@media (prefers-color-scheme:dark){body{color:#eee;background:#121212}"
              + "th,td{border-color:#555}td.interval{color:#bbb}}",
          "@media print{body{margin:0}table{page-break-inside:avoid}}");

  private ReportPage() {}

  /** The HTML of {@code data}. */
  public static String render(ReportData data) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src '")
        .append(sha256(STYLE))
        .append("'; img-src data:; base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Fairbeam report</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>Fairbeam report</h1>\n");
    for (ReportResult result : data.getResultsList()) {
      result(html, result);
    }
    html.append("<script type=\"application/json\" id=\"fairbeam-data\">")
        .append(json(data))
        .append("</script>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void result(StringBuilder html, ReportResult result) {
    html.append("<section>\n<h2>").append(escape(result.getLocation())).append("</h2>\n<dl>");
    term(html, "Data", result.getEvalRun().getDataLocation());
    term(html, "Format", result.getEvalRun().getFileFormat());
    if (result.hasRun()) {
      term(
          html,
          "Examples",
          String.format(
              Locale.ROOT,
              "%,d evaluated of %,d records read",
              result.getRun().getExamplesEvaluated(),
              result.getRun().getRecordsRead()));
    }
    term(html, "Written by", result.getEvalRun().getVersion());
    html.append("</dl>\n");
    verdict(html, result);
    List<String> models = new ArrayList<>();
    Set<String> metrics = new LinkedHashSet<>();
    for (ReportSlice slice : result.getSlicingMetricsList()) {
      if (!models.contains(slice.getModel())) {
        models.add(slice.getModel());
      }
      metrics.addAll(slice.getMetricsMap().keySet());
    }
    for (String metric : metrics) {
      table(html, result, metric, models);
    }
    html.append("</section>\n");
  }

  private static void verdict(StringBuilder html, ReportResult result) {
    if (!result.hasValidation() || result.getValidation().getMissingThresholds()) {
      return;
    }
    ValidationResult v = result.getValidation();
    int failures =
        v.getMetricValidationsPerSliceList().stream().mapToInt(s -> s.getFailuresCount()).sum()
            + v.getMissingSlicesCount()
            + v.getMissingCrossSlicesCount();
    html.append("<p class=\"verdict ")
        .append(v.getValidationOk() ? "blessed\">Verdict: BLESSED" : "not-blessed\">Verdict: NOT")
        .append(v.getValidationOk() ? "" : " BLESSED (" + failures + " failing checks)")
        .append(v.getRubberStamp() ? "; first run without a baseline" : "")
        .append("</p>\n");
  }

  private static void table(
      StringBuilder html, ReportResult result, String metric, List<String> allModels) {
    // Only the models that have the metric: a difference from the baseline is the candidate's.
    List<String> models = new ArrayList<>();
    for (String model : allModels) {
      boolean has =
          result.getSlicingMetricsList().stream()
              .anyMatch(s -> s.getModel().equals(model) && s.getMetricsMap().containsKey(metric));
      if (has) {
        models.add(model);
      }
    }
    html.append("<table data-metric=\"")
        .append(escape(metric))
        .append("\">\n<caption>")
        .append(escape(metric))
        .append("</caption>\n<thead><tr><th scope=\"col\">Slice</th>");
    for (String model : models) {
      html.append("<th scope=\"col\">")
          .append(escape(model.isEmpty() ? "value" : model))
          .append("</th>");
    }
    html.append("<th scope=\"col\">examples</th></tr></thead>\n<tbody>\n");
    List<String> seen = new ArrayList<>();
    for (ReportSlice slice : result.getSlicingMetricsList()) {
      if (seen.contains(slice.getSlice())) {
        continue;
      }
      seen.add(slice.getSlice());
      StringBuilder row = new StringBuilder();
      boolean any = false;
      double count = Double.NaN;
      for (String model : models) {
        ReportSlice of = find(result, slice.getSlice(), model);
        ReportMetricValue value = of == null ? null : of.getMetricsMap().get(metric);
        row.append("<td")
            .append(value != null && value.hasBoundedValue() ? " class=\"interval\"" : "")
            .append(">")
            .append(escape(format(value)))
            .append("</td>");
        any |= value != null;
        if (of != null
            && !of.getCross()
            && Double.isNaN(count)
            && of.getMetricsMap().containsKey("example_count")) {
          count = number(of.getMetricsMap().get("example_count"));
        }
      }
      if (!any) {
        continue;
      }
      html.append("<tr data-slice=\"")
          .append(escape(slice.getSlice()))
          .append("\"><th scope=\"row\">")
          .append(escape(slice.getLabel()))
          .append("</th>")
          .append(row)
          .append("<td>")
          .append(Double.isNaN(count) ? "" : String.format(Locale.ROOT, "%,.0f", count))
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static ReportSlice find(ReportResult result, String slice, String model) {
    for (ReportSlice s : result.getSlicingMetricsList()) {
      if (s.getSlice().equals(slice) && s.getModel().equals(model)) {
        return s;
      }
    }
    return null;
  }

  private static double number(ReportMetricValue value) {
    return value.hasBoundedValue() ? value.getBoundedValue().getValue() : value.getDoubleValue();
  }

  /** A value as the table shows it: 4 significant digits, its interval in brackets. */
  static String format(ReportMetricValue value) {
    if (value == null) {
      return "—";
    }
    return switch (value.getKindCase()) {
      case DOUBLE_VALUE -> num(value.getDoubleValue());
      case BOUNDED_VALUE ->
          num(value.getBoundedValue().getValue())
              + " ["
              + num(value.getBoundedValue().getLowerBound())
              + ", "
              + num(value.getBoundedValue().getUpperBound())
              + "]";
      case ERROR -> value.getError();
      case KIND_NOT_SET -> "—";
    };
  }

  private static String num(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.4g", v)
        .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
        .replaceAll("\\.(e|$)", "$1");
  }

  private static void term(StringBuilder html, String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    html.append("<dt>").append(name).append("</dt><dd>").append(escape(value)).append("</dd>");
  }

  /**
   * The data as JSON, every field included, safe inside a script element (JsonFormat escapes {@code
   * <}).
   */
  static String json(ReportData data) {
    try {
      // Every field, zeros included: a script reading boundedValue finds lowerBound 0 there.
      return JsonFormat.printer()
          .includingDefaultValueFields()
          .omittingInsignificantWhitespace()
          .print(data);
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
}
