package io.fairbeam.report;

import io.fairbeam.io.TfmaNames;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.GapSide;
import io.fairbeam.proto.GapTest;
import io.fairbeam.proto.ReportBoundedValue;
import io.fairbeam.proto.ReportFinding;
import io.fairbeam.proto.ReportFindingSide;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.slice.SliceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gaps a report leads with: for every metric, model and feature (the slices that share their
 * columns), the slice with the highest value against the one with the lowest, with their ratio and
 * difference, whether the gap is statistically supported, and a parity band judged on the ratio's
 * interval.
 *
 * <p>Where the result has Fairbeam's disparities, their {@link GapTest} decides: the slices
 * compared are the highest and lowest among those with enough examples behind the metric, a rate is
 * shown with its score interval, and support comes from a Holm-adjusted test over every gap of the
 * run; a metric with fewer than two such slices has no finding. A result without them (TFMA's own
 * output) has only each slice's interval: a gap is then supported when the two intervals do not
 * overlap, and the ratio's interval is bounded from the two (wider than a paired one, never
 * narrower).
 */
public final class ReportFindings {
  /**
   * The four-fifths rule: a gap passes when the lower group's value is at least 0.8 × the other.
   */
  public static final double FOUR_FIFTHS = 0.8;

  static final String SIGNIFICANT = "significant";
  static final String NOT_SIGNIFICANT = "not significant";
  static final String NOT_TESTED = "not tested";

  private ReportFindings() {}

  /** Every finding of {@code slices}, supported gaps first, the largest first. */
  public static List<ReportFinding> of(
      List<ReportSlice> slices, DisparityReport disparities, double parityRatio) {
    return of(slices, disparities, parityRatio, SeriesNames.BY_ID);
  }

  /**
   * Every finding of {@code slices}, supported gaps first, the largest first; {@code names} names
   * the series as the slices do.
   */
  public static List<ReportFinding> of(
      List<ReportSlice> slices,
      DisparityReport disparities,
      double parityRatio,
      SeriesNames names) {
    Map<String, Map<String, ReportSlice>> bySliceAndModel = new LinkedHashMap<>();
    // A set per feature, not a list: a feature with 100,000 values made the check quadratic.
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    Set<String> metrics = new TreeSet<>();
    for (ReportSlice slice : slices) {
      if (slice.getCross() || slice.getFeature().isEmpty()) {
        continue;
      }
      bySliceAndModel
          .computeIfAbsent(slice.getSlice(), s -> new LinkedHashMap<>())
          .put(slice.getModel(), slice);
      groups.computeIfAbsent(slice.getFeature(), f -> new LinkedHashSet<>()).add(slice.getSlice());
      for (String metric : slice.getMetricsMap().keySet()) {
        if (isComparable(metric)) {
          metrics.add(metric);
        }
      }
    }
    Set<String> models = new LinkedHashSet<>();
    slices.forEach(s -> models.add(s.getModel()));
    List<ReportFinding> findings = new ArrayList<>();
    for (String metric : metrics) {
      for (String model : models) {
        for (Map.Entry<String, Set<String>> group : groups.entrySet()) {
          ReportFinding finding =
              finding(
                  metric,
                  model,
                  group.getKey(),
                  group.getValue(),
                  bySliceAndModel,
                  disparities,
                  parityRatio,
                  names);
          if (finding != null) {
            findings.add(finding);
          }
        }
      }
    }
    findings.sort(ReportFindings::compare);
    return findings;
  }

  private static boolean isComparable(String metric) {
    return !metric.equals(TfmaNames.EXAMPLE_COUNT)
        && !metric.equals(TfmaNames.WEIGHTED_EXAMPLE_COUNT)
        && !metric.equals(TfmaNames.ERROR_KEY)
        && !metric.endsWith("_diff");
  }

  private static ReportFinding finding(
      String metric,
      String model,
      String feature,
      Set<String> group,
      Map<String, Map<String, ReportSlice>> slices,
      DisparityReport disparities,
      double parityRatio,
      SeriesNames names) {
    ReportSlice high = null;
    ReportSlice low = null;
    int finite = 0;
    for (String name : group) {
      ReportSlice slice = slices.get(name).get(model);
      double v = slice == null ? Double.NaN : value(slice.getMetricsMap().get(metric));
      if (!Double.isFinite(v)) {
        continue;
      }
      finite++;
      if (high == null || v > value(high.getMetricsMap().get(metric))) {
        high = slice;
      }
      if (low == null || v < value(low.getMetricsMap().get(metric))) {
        low = slice;
      }
    }
    if (finite < 2) {
      return null;
    }
    Disparity disparity = match(disparities, metric, model, feature, names);
    if (disparity != null) {
      if (!disparity.hasTest()) {
        return null; // fewer than two slices have enough examples to be compared
      }
      return tested(metric, model, feature, disparity, slices, parityRatio);
    }
    ReportMetricValue highValue = high.getMetricsMap().get(metric);
    ReportMetricValue lowValue = low.getMetricsMap().get(metric);
    double h = value(highValue);
    double l = value(lowValue);
    ReportFinding.Builder finding =
        ReportFinding.newBuilder()
            .setMetric(metric)
            .setModel(model)
            .setFeature(feature)
            .setHigh(side(high, highValue, slices))
            .setLow(side(low, lowValue, slices))
            .setRatio(ratio(h, l))
            .setDifference(h - l)
            .setAdjustedPValue(Double.NaN);
    if (highValue.hasBoundedValue() && lowValue.hasBoundedValue()) {
      double hl = highValue.getBoundedValue().getLowerBound();
      double hu = highValue.getBoundedValue().getUpperBound();
      double ll = lowValue.getBoundedValue().getLowerBound();
      double lu = lowValue.getBoundedValue().getUpperBound();
      finding
          .setHasInterval(true)
          .setRatioLower(hu > 0 && ll >= 0 ? ll / hu : Double.NaN)
          .setRatioUpper(hl > 0 && lu >= 0 ? Math.min(1, lu / hl) : Double.NaN)
          .setDifferenceLower(hl - lu)
          .setDifferenceUpper(hu - ll)
          .setSupport(lu < hl ? SIGNIFICANT : NOT_SIGNIFICANT);
      if (Double.isNaN(finding.getRatioUpper()) && hl <= 0) {
        finding.setRatioUpper(1);
      }
    } else {
      finding.setSupport(NOT_TESTED);
    }
    finding.setParity(parity(finding, parityRatio));
    return finding.setSentence(sentence(finding.build())).build();
  }

  /** min / max, 1 when both are 0, NaN when only the maximum is. */
  private static double ratio(double high, double low) {
    return high > 0 && low >= 0 ? low / high : (high == 0 && low == 0 ? 1 : Double.NaN);
  }

  /** The finding of a disparity the run tested: its two slices, intervals and support. */
  private static ReportFinding tested(
      String metric,
      String model,
      String feature,
      Disparity disparity,
      Map<String, Map<String, ReportSlice>> slices,
      double parityRatio) {
    GapTest test = disparity.getTest();
    ReportSlice high = slices.get(key(test.getHigh().getSlice())).get(model);
    ReportSlice low = slices.get(key(test.getLow().getSlice())).get(model);
    double h = test.getHigh().getValue().getValue();
    double l = test.getLow().getValue().getValue();
    ReportFinding.Builder finding =
        ReportFinding.newBuilder()
            .setMetric(metric)
            .setModel(model)
            .setFeature(feature)
            .setHigh(
                withCounts(
                    side(high, shown(high, metric, test.getHigh()), slices), test, test.getHigh()))
            .setLow(
                withCounts(
                    side(low, shown(low, metric, test.getLow()), slices), test, test.getLow()))
            .setRatio(ratio(h, l))
            .setDifference(h - l)
            .setAdjustedPValue(disparity.getAdjustedPValue());
    Estimate difference = test.getDifference();
    Estimate ratio = test.getRatio();
    if (difference.getHasInterval()) {
      finding
          .setHasInterval(true)
          .setDifferenceLower(difference.getLowerBound())
          .setDifferenceUpper(difference.getUpperBound())
          .setRatioLower(ratio.getHasInterval() ? ratio.getLowerBound() : Double.NaN)
          .setRatioUpper(ratio.getHasInterval() ? Math.min(1, ratio.getUpperBound()) : Double.NaN)
          .setSupport(disparity.getSignificant() ? SIGNIFICANT : NOT_SIGNIFICANT);
      if (h == 0 && l == 0) {
        finding.setRatioLower(1).setRatioUpper(1);
      }
    } else {
      finding.setSupport(NOT_TESTED);
    }
    finding.setParity(parity(finding, parityRatio));
    return finding.setSentence(sentence(finding.build())).build();
  }

  /** {@code side} with the counts behind its rate, when the test judged a rate from counts. */
  private static ReportFindingSide withCounts(ReportFindingSide side, GapTest test, GapSide of) {
    if (!test.getMethod().equals("score")) {
      return side;
    }
    return side.toBuilder()
        .setRateDenominator(of.getCount())
        .setRateNumerator(of.getValue().getValue() * of.getCount())
        .build();
  }

  /**
   * A side's value as the finding shows it: a rate with its score interval, another metric as the
   * slice shows it.
   */
  private static ReportMetricValue shown(ReportSlice slice, String metric, GapSide side) {
    Estimate value = side.getValue();
    if (!value.getHasInterval()) {
      return slice.getMetricsMap().get(metric);
    }
    return ReportMetricValue.newBuilder()
        .setBoundedValue(
            ReportBoundedValue.newBuilder()
                .setValue(value.getValue())
                .setLowerBound(value.getLowerBound())
                .setUpperBound(value.getUpperBound()))
        .build();
  }

  /** The parity band judged on the ratio's interval where it has one, else on its value. */
  static String parity(ReportFinding.Builder finding, double band) {
    if (Double.isNaN(finding.getRatio())) {
      return "not applicable";
    }
    if (!finding.getHasInterval()) {
      return finding.getRatio() >= band ? "passes" : "fails";
    }
    if (finding.getRatioLower() >= band) {
      return "passes";
    }
    if (finding.getRatioUpper() < band) {
      return "fails";
    }
    return "inconclusive";
  }

  private static ReportFindingSide side(
      ReportSlice slice, ReportMetricValue value, Map<String, Map<String, ReportSlice>> slices) {
    double count = Double.NaN;
    for (ReportSlice of : slices.get(slice.getSlice()).values()) {
      ReportMetricValue c = of.getMetricsMap().get(TfmaNames.EXAMPLE_COUNT);
      if (c != null) {
        count = value(c);
        break;
      }
    }
    return ReportFindingSide.newBuilder()
        .setSlice(slice.getSlice())
        .setLabel(slice.getLabel())
        .setValue(value)
        .setExampleCount(Double.isNaN(count) ? 0 : count)
        .build();
  }

  /** The disparity the run computed for this metric, model and feature, if any. */
  private static Disparity match(
      DisparityReport disparities, String metric, String model, String feature, SeriesNames names) {
    for (Disparity d : disparities.getDisparitiesList()) {
      if (d.getMetricKey().getName().equals(metric)
          && !d.getMetricKey().getIsDiff()
          && names.of(d.getMetricKey()).equals(model)
          && new HashSet<>(d.getFeatureKeysList()).equals(Set.of(feature.split(" × ")))) {
        return d;
      }
    }
    return null;
  }

  private static String key(io.fairbeam.proto.tfma.SliceKey key) {
    return SliceKey.fromProto(key).toString();
  }

  static double value(ReportMetricValue value) {
    if (value == null) {
      return Double.NaN;
    }
    return switch (value.getKindCase()) {
      case DOUBLE_VALUE -> value.getDoubleValue();
      case BOUNDED_VALUE -> value.getBoundedValue().getValue();
      default -> Double.NaN;
    };
  }

  /**
   * Supported gaps first; then the largest first, by the difference's lower bound where there is an
   * interval (the gap the data supports), else by the difference.
   */
  private static int compare(ReportFinding a, ReportFinding b) {
    return Comparator.<ReportFinding>comparingInt(f -> rank(f.getSupport()))
        .thenComparingDouble(f -> -gap(f))
        .thenComparing(ReportFinding::getMetric)
        .thenComparing(ReportFinding::getFeature)
        .thenComparing(ReportFinding::getModel)
        .compare(a, b);
  }

  private static int rank(String support) {
    return switch (support) {
      case SIGNIFICANT -> 0;
      case NOT_TESTED -> 1;
      default -> 2;
    };
  }

  private static double gap(ReportFinding f) {
    double gap = f.getHasInterval() ? f.getDifferenceLower() : f.getDifference();
    return Double.isNaN(gap) ? Double.NEGATIVE_INFINITY : gap;
  }

  /**
   * The findings worth leading with: {@code findings} without those that repeat one before them,
   * the same gap (the same slices, model, threshold and size) under another name: recall is the
   * true positive rate, and the true negative rate's gap is the false positive rate's, mirrored.
   */
  public static List<ReportFinding> distinct(List<ReportFinding> findings) {
    List<ReportFinding> kept = new ArrayList<>();
    for (ReportFinding f : findings) {
      if (kept.stream().noneMatch(k -> sameGap(k, f))) {
        kept.add(f);
      }
    }
    return kept;
  }

  private static boolean sameGap(ReportFinding a, ReportFinding b) {
    boolean sameSlices =
        a.getHigh().getSlice().equals(b.getHigh().getSlice())
            && a.getLow().getSlice().equals(b.getLow().getSlice());
    boolean mirrored =
        a.getHigh().getSlice().equals(b.getLow().getSlice())
            && a.getLow().getSlice().equals(b.getHigh().getSlice());
    return a.getModel().equals(b.getModel())
        && a.getFeature().equals(b.getFeature())
        && (sameSlices || mirrored)
        && threshold(a.getMetric()).equals(threshold(b.getMetric()))
        && Math.abs(a.getDifference() - b.getDifference()) < 1e-9;
  }

  private static String threshold(String metric) {
    int at = metric.lastIndexOf('@');
    return at < 0 ? "" : metric.substring(at);
  }

  /** "24 of 128": a tested rate's counts, with one decimal where example weights make them so. */
  private static String ofCount(ReportFindingSide side) {
    return count(side.getRateNumerator()) + " of " + count(side.getRateDenominator());
  }

  private static String count(double value) {
    double rounded = Math.rint(value);
    return Math.abs(value - rounded) < 1e-6
        ? String.format(Locale.ROOT, "%,.0f", rounded)
        : String.format(Locale.ROOT, "%,.1f", value);
  }

  /**
   * "false_positive_rate@0.5 for race=African-American is 0.45 [0.42, 0.48], 1.9× race=Caucasian's
   * 0.23 [0.21, 0.25] (807 of 1,795 and 484 of 2,103; n = 3,696 and 2,454)": the counts behind two
   * rates the run tested, then the slices' sizes.
   */
  static String sentence(ReportFinding f) {
    StringBuilder s = new StringBuilder();
    s.append(ReportFormat.metricLabel(f.getMetric()));
    if (!f.getModel().isEmpty()) {
      s.append(" of ").append(f.getModel());
    }
    s.append(" for ")
        .append(f.getHigh().getLabel())
        .append(" is ")
        .append(ReportFormat.value(f.getHigh().getValue(), 3));
    if (f.getRatio() > 0) {
      s.append(", ")
          .append(ReportFormat.number(1 / f.getRatio(), 2))
          .append("× ")
          .append(f.getLow().getLabel())
          .append("'s ");
    } else {
      s.append(", against ").append(f.getLow().getLabel()).append("'s ");
    }
    s.append(ReportFormat.value(f.getLow().getValue(), 3));
    boolean counted = f.getHigh().getExampleCount() > 0 && f.getLow().getExampleCount() > 0;
    boolean rates = f.getHigh().getRateDenominator() > 0 && f.getLow().getRateDenominator() > 0;
    if (rates || counted) {
      s.append(" (");
      if (rates) {
        s.append(ofCount(f.getHigh()))
            .append(" and ")
            .append(ofCount(f.getLow()))
            .append(counted ? "; " : "");
      }
      if (counted) {
        s.append(
            String.format(
                Locale.ROOT,
                "n = %,.0f and %,.0f",
                f.getHigh().getExampleCount(),
                f.getLow().getExampleCount()));
      }
      s.append(')');
    }
    s.append('.');
    return s.toString();
  }
}
