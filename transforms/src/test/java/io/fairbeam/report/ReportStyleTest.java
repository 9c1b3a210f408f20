package io.fairbeam.report;

import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The report's colours meet WCAG 2.1 AA in both colour schemes, computed from the style sheet and
 * the script as shipped: text at least 4.5:1 against the page and the baseline's band (1.4.3), and
 * the chart's series colours at least 3:1 against both (1.4.11, non-text contrast).
 */
public class ReportStyleTest {
  private static final String[] TEXT = {"fg", "muted", "pass", "fail", "warn", "accent"};

  @Test
  public void lightSchemeMeetsAa() {
    check(
        variables(ReportPage.STYLE.substring(0, ReportPage.STYLE.indexOf("@media"))),
        colours("LIGHT_COLOURS"));
  }

  @Test
  public void darkSchemeMeetsAa() {
    String dark = ReportPage.STYLE.substring(ReportPage.STYLE.indexOf("prefers-color-scheme:dark"));
    check(variables(dark.substring(0, dark.indexOf("}}") + 1)), colours("DARK_COLOURS"));
  }

  private static void check(Map<String, String> vars, List<String> series) {
    for (String background : new String[] {"bg", "band"}) {
      for (String text : TEXT) {
        double ratio = contrast(vars.get(text), vars.get(background));
        assertTrue(text + " on " + background + ": " + ratio, ratio >= 4.5);
      }
      for (String colour : series) {
        double ratio = contrast(colour, vars.get(background));
        assertTrue(colour + " on " + background + ": " + ratio, ratio >= 3);
      }
    }
  }

  private static Map<String, String> variables(String css) {
    Map<String, String> vars = new LinkedHashMap<>();
    Matcher m = Pattern.compile("--([a-z]+):(#[0-9a-fA-F]{6})").matcher(css);
    while (m.find()) {
      vars.put(m.group(1), m.group(2));
    }
    assertTrue(vars.toString(), vars.keySet().containsAll(List.of(TEXT)));
    return vars;
  }

  private static List<String> colours(String name) {
    Matcher list =
        Pattern.compile("var " + name + " = \\[([^\\]]*)\\]", Pattern.DOTALL)
            .matcher(ReportPage.SCRIPT);
    assertTrue(name, list.find());
    List<String> colours = new ArrayList<>();
    Matcher c = Pattern.compile("'(#[0-9A-Fa-f]{6})'").matcher(list.group(1));
    while (c.find()) {
      colours.add(c.group(1));
    }
    assertTrue(colours.size() >= 8);
    return colours;
  }

  /** WCAG 2.1's contrast ratio of two sRGB colours. */
  static double contrast(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  private static double luminance(String hex) {
    double[] weights = {0.2126, 0.7152, 0.0722};
    double l = 0;
    for (int i = 0; i < 3; i++) {
      double c = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
      l += weights[i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }
    return l;
  }

  @Test
  public void contrastMatchesWcagsExamples() {
    // Black on white is 21:1; #777 on white is 4.48:1 (the classic just-failing grey).
    assertTrue(Math.abs(contrast("#000000", "#ffffff") - 21) < 1e-9);
    assertTrue(Math.abs(contrast("#777777", "#ffffff") - 4.48) < 0.005);
  }
}
