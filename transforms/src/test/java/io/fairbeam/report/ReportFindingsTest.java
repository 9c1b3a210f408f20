package io.fairbeam.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.GapSide;
import io.fairbeam.proto.GapTest;
import io.fairbeam.proto.ReportBoundedValue;
import io.fairbeam.proto.ReportFinding;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.util.List;
import org.junit.Test;

/**
 * The report's findings, checked by hand: which slices are compared, the ratio and difference with
 * their intervals (from the run's disparities, or bounded from two intervals), support, the parity
 * band on the interval, the order, and the sentence.
 */
public class ReportFindingsTest {
  private static final String FPR = "fairness_indicators_metrics/false_positive_rate@0.5";
  private static final String TNR = "fairness_indicators_metrics/true_negative_rate@0.5";
  private static final String FPR_AGAIN = "fpr@0.5";

  private static ReportMetricValue bounded(double v, double lo, double hi) {
    return ReportMetricValue.newBuilder()
        .setBoundedValue(
            ReportBoundedValue.newBuilder().setValue(v).setLowerBound(lo).setUpperBound(hi))
        .build();
  }

  private static ReportMetricValue plain(double v) {
    return ReportMetricValue.newBuilder().setDoubleValue(v).build();
  }

  private static ReportSlice slice(String race, double n, String metric, ReportMetricValue v) {
    SliceKey key =
        race == null
            ? SliceKey.OVERALL
            : SliceKey.of(List.of(new SliceKey.Column("race", SliceValue.ofString(race))));
    return ReportSlice.newBuilder()
        .setSlice(key.toString())
        .setLabel(key.label())
        .setFeature(race == null ? "" : "race")
        .putMetrics("example_count", plain(n))
        .putMetrics(metric, v)
        .build();
  }

  @Test
  public void withoutTheRunsDisparitiesTwoIntervalsBoundTheGap() {
    List<ReportSlice> slices =
        List.of(
            slice(null, 6000, FPR, bounded(0.3, 0.29, 0.31)),
            slice("African-American", 1795, FPR, bounded(0.45, 0.42, 0.48)),
            slice("Caucasian", 2103, FPR, bounded(0.24, 0.22, 0.26)),
            slice("Other", 300, FPR, bounded(0.3, 0.2, 0.4)));
    List<ReportFinding> findings =
        ReportFindings.of(slices, DisparityReport.getDefaultInstance(), 0.8);
    assertEquals(1, findings.size());
    ReportFinding f = findings.get(0);
    assertEquals("race=African-American", f.getHigh().getLabel());
    assertEquals("race=Caucasian", f.getLow().getLabel());
    assertEquals(0.24 / 0.45, f.getRatio(), 1e-15);
    // The widest ratio the two intervals allow: low's lower over high's upper, and the reverse.
    assertEquals(0.22 / 0.48, f.getRatioLower(), 1e-15);
    assertEquals(0.26 / 0.42, f.getRatioUpper(), 1e-15);
    assertEquals(0.45 - 0.24, f.getDifference(), 1e-15);
    assertEquals(0.42 - 0.26, f.getDifferenceLower(), 1e-15);
    assertEquals(0.48 - 0.22, f.getDifferenceUpper(), 1e-15);
    assertEquals("significant", f.getSupport());
    // 0.62 < 0.8: outside the four-fifths band even at the interval's top.
    assertEquals("fails", f.getParity());
    assertEquals(
        "false_positive_rate@0.5 for race=African-American is 0.45 [0.42, 0.48], 1.9×"
            + " race=Caucasian's 0.24 [0.22, 0.26] (n = 1,795 and 2,103).",
        f.getSentence());
    // A looser band: the interval straddles 0.5, so the band can neither pass nor fail it.
    assertEquals(
        "inconclusive",
        ReportFindings.of(slices, DisparityReport.getDefaultInstance(), 0.5).get(0).getParity());
    assertEquals(
        "passes",
        ReportFindings.of(slices, DisparityReport.getDefaultInstance(), 0.4).get(0).getParity());
  }

  @Test
  public void overlappingIntervalsAreNotSupportedAndPointValuesAreNotTested() {
    List<ReportSlice> overlapping =
        List.of(
            slice("a", 50, FPR, bounded(0.3, 0.2, 0.4)),
            slice("b", 50, FPR, bounded(0.25, 0.15, 0.35)));
    ReportFinding f =
        ReportFindings.of(overlapping, DisparityReport.getDefaultInstance(), 0.8).get(0);
    assertEquals("not significant", f.getSupport());
    List<ReportSlice> points =
        List.of(slice("a", 50, FPR, plain(0.3)), slice("b", 50, FPR, plain(0.25)));
    ReportFinding g = ReportFindings.of(points, DisparityReport.getDefaultInstance(), 0.8).get(0);
    assertEquals("not tested", g.getSupport());
    assertEquals(false, g.getHasInterval());
    // 0.25 / 0.3 = 0.833 >= 0.8, judged on the value alone.
    assertEquals("passes", g.getParity());
  }

  @Test
  public void theRunsTestDecidesWhereThereIsOne() {
    // "c" has the largest value but 4 examples: the run compares the two slices with enough.
    List<ReportSlice> slices =
        List.of(
            slice("a", 400, FPR, bounded(0.3, 0.25, 0.35)),
            slice("b", 400, FPR, bounded(0.2, 0.15, 0.26)),
            slice("c", 4, FPR, bounded(1, 1, 1)));
    GapTest test =
        GapTest.newBuilder()
            .setMethod("score")
            .setSliceCount(2)
            .setMinCount(10)
            .setHigh(gapSide("a", estimate(0.3, 0.26, 0.34), 400))
            .setLow(gapSide("b", estimate(0.2, 0.17, 0.24), 400))
            .setDifference(estimate(0.1, 0.04, 0.16))
            .setRatio(estimate(2 / 3.0, 0.55, 0.79))
            .build();
    Disparity disparity =
        Disparity.newBuilder()
            .addFeatureKeys("race")
            .setMetricKey(MetricKey.newBuilder().setName(FPR))
            .setMaxSlice(key("c"))
            .setMinSlice(key("b"))
            .setTest(test)
            .setAdjustedPValue(0.003)
            .setSignificant(true)
            .build();
    ReportFinding f =
        ReportFindings.of(
                slices, DisparityReport.newBuilder().addDisparities(disparity).build(), 0.8)
            .get(0);
    // The slices' own intervals overlap, but the test says the gap is real; its bounds decide,
    // and each side shows its score interval, not the slice's resampling interval.
    assertEquals("race=a", f.getHigh().getLabel());
    assertEquals("race=b", f.getLow().getLabel());
    assertEquals(0.26, f.getHigh().getValue().getBoundedValue().getLowerBound(), 0);
    assertEquals(0.24, f.getLow().getValue().getBoundedValue().getUpperBound(), 0);
    assertEquals("significant", f.getSupport());
    assertEquals(2 / 3.0, f.getRatio(), 1e-15);
    assertEquals(0.55, f.getRatioLower(), 0);
    assertEquals(0.79, f.getRatioUpper(), 0);
    assertEquals(0.04, f.getDifferenceLower(), 0);
    assertEquals(0.003, f.getAdjustedPValue(), 0);
    assertEquals("fails", f.getParity());
    assertEquals(
        "false_positive_rate@0.5 for race=a is 0.3 [0.26, 0.34], 1.5× race=b's 0.2 [0.17, 0.24]"
            + " (120 of 400 and 80 of 400; n = 400 and 400).",
        f.getSentence());
  }

  @Test
  public void aDisparityWithoutTwoLargeEnoughSlicesIsNoFinding() {
    List<ReportSlice> slices =
        List.of(
            slice("a", 400, FPR, bounded(0.3, 0.25, 0.35)), slice("c", 4, FPR, bounded(1, 1, 1)));
    Disparity untested =
        Disparity.newBuilder()
            .addFeatureKeys("race")
            .setMetricKey(MetricKey.newBuilder().setName(FPR))
            .setMaxSlice(key("c"))
            .setMinSlice(key("a"))
            .setAdjustedPValue(Double.NaN)
            .build();
    assertEquals(
        List.of(),
        ReportFindings.of(
            slices, DisparityReport.newBuilder().addDisparities(untested).build(), 0.8));
  }

  private static Estimate estimate(double value, double lower, double upper) {
    return Estimate.newBuilder()
        .setValue(value)
        .setLowerBound(lower)
        .setUpperBound(upper)
        .setHasInterval(true)
        .build();
  }

  private static GapSide gapSide(String race, Estimate value, double count) {
    return GapSide.newBuilder().setSlice(key(race)).setValue(value).setCount(count).build();
  }

  private static io.fairbeam.proto.tfma.SliceKey key(String race) {
    return SliceKey.of(List.of(new SliceKey.Column("race", SliceValue.ofString(race)))).toProto();
  }

  @Test
  public void supportedGapsLeadLargestFirstAndRepeatedGapsAreDropped() {
    List<ReportSlice> slices =
        List.of(
            slice("a", 400, FPR, bounded(0.5, 0.45, 0.55)).toBuilder()
                .putMetrics(TNR, bounded(0.5, 0.45, 0.55))
                .putMetrics(FPR_AGAIN, bounded(0.5, 0.45, 0.55))
                .putMetrics("auc", bounded(0.8, 0.75, 0.85))
                .build(),
            slice("b", 400, FPR, bounded(0.2, 0.15, 0.25)).toBuilder()
                .putMetrics(TNR, bounded(0.8, 0.75, 0.85))
                .putMetrics(FPR_AGAIN, bounded(0.2, 0.15, 0.25))
                .putMetrics("auc", bounded(0.78, 0.7, 0.86))
                .build());
    List<ReportFinding> all = ReportFindings.of(slices, DisparityReport.getDefaultInstance(), 0.8);
    assertEquals(4, all.size());
    assertEquals("not significant", all.get(3).getSupport());
    assertEquals("auc", all.get(3).getMetric());
    List<ReportFinding> lead = ReportFindings.distinct(all);
    // TNR's gap is FPR's, mirrored, and FPR under another name is the same gap: one of the three
    // leads.
    assertEquals(2, lead.size());
    assertTrue(List.of(FPR, TNR, FPR_AGAIN).contains(lead.get(0).getMetric()));
    assertEquals("auc", lead.get(1).getMetric());
  }
}
