package io.fairbeam.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.BoolValue;
import com.google.protobuf.DoubleValue;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Cross-slice comparisons ({@link CrossSliceComputer}) and group disparities ({@link
 * GroupDisparities}) on slices whose values and replicate values are given by hand, against the
 * same statistics computed here by hand: baseline − comparison, the pairing of replicates, max −
 * min, min / max, distance to Overall, the jackknife interval and Holm's adjustment.
 */
public class SliceComparisonsTest {
  private static final MetricKey RATE =
      MetricKey.newBuilder()
          .setName("mean_label")
          .setModelName("")
          .setExampleWeighted(BoolValue.of(false))
          .build();
  private static final MetricKey COUNT = RATE.toBuilder().setName("example_count").build();

  private static EvalPlan plan(String extra) {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                + "metrics_specs { metrics { class_name: 'ExampleCount' }"
                + " metrics { class_name: 'MeanLabel' } }\n"
                + "slicing_specs {} slicing_specs { feature_keys: 'g' }\n"
                + "options { compute_confidence_intervals { value: true } }\n"
                + extra,
            "c.pbtxt");
    return EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
  }

  private static SliceKey group(String value) {
    return SliceKey.of(List.of(new SliceKey.Column("g", SliceValue.ofString(value))));
  }

  /** A slice whose rate is {@code point} and, in replicate r, point + slope·(r − 9.5). */
  private static SliceValues slice(SliceKey key, double point, double slope, double count) {
    List<Map<MetricKey, MetricValue>> replicates = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      replicates.add(values(point + slope * (r - 9.5), count));
    }
    Map<MetricKey, MetricValue> values = values(point, count);
    return new SliceValues(key, false, values, values, replicates);
  }

  private static Map<MetricKey, MetricValue> values(double rate, double count) {
    Map<MetricKey, MetricValue> values = new LinkedHashMap<>();
    values.put(COUNT, MetricValue.newBuilder().setDoubleValue(DoubleValue.of(count)).build());
    values.put(RATE, MetricValue.newBuilder().setDoubleValue(DoubleValue.of(rate)).build());
    return values;
  }

  private static double[] jackknife(double point, double[] leftOut) {
    return IntervalsByHand.jackknife(point, leftOut);
  }

  private static double[] slopes(double point, double slope) {
    double[] values = new double[20];
    for (int r = 0; r < 20; r++) {
      values[r] = point + slope * (r - 9.5);
    }
    return values;
  }

  @Test
  public void crossSlicesAreBaselineMinusComparisonWithPairedIntervals() {
    EvalPlan plan =
        plan("cross_slicing_specs { baseline_spec { feature_values { key: 'g' value: 'a' } } }");
    List<SliceValues> slices =
        List.of(
            slice(SliceKey.OVERALL, 0.30, 0.001, 300),
            slice(group("a"), 0.50, 0.003, 100),
            slice(group("b"), 0.20, 0.002, 200));
    List<SliceMetricsComputer.Result> results = new CrossSliceComputer(plan).compute(slices);
    // No comparison specs: every slice the baseline spec does not apply to, Overall included.
    assertEquals(2, results.size());
    MetricsForSlice aVsOverall = results.get(0).metrics();
    assertEquals(group("a").toProto(), aVsOverall.getCrossSliceKey().getBaselineSliceKey());
    assertEquals(SliceKey.OVERALL.toProto(), aVsOverall.getCrossSliceKey().getComparisonSliceKey());
    MetricsForSlice aVsB = results.get(1).metrics();
    MetricsForSlice.MetricKeyAndValue rate = find(aVsB, RATE);
    assertEquals(0.30, rate.getValue().getDoubleValue().getValue(), 1e-15);
    // Paired: replicate r compares a's and b's replicate r, so the slopes subtract.
    double[] expected = jackknife(0.30, slopes(0.30, 0.001));
    assertEquals(
        expected[0],
        rate.getConfidenceInterval().getLowerBound().getDoubleValue().getValue(),
        1e-12);
    assertEquals(
        expected[1],
        rate.getConfidenceInterval().getUpperBound().getDoubleValue().getValue(),
        1e-12);
    assertEquals(
        expected[2],
        rate.getConfidenceInterval().getStandardError().getDoubleValue().getValue(),
        1e-12);
    MetricsForSlice.MetricKeyAndValue count = find(aVsB, COUNT);
    assertEquals(-100, count.getValue().getDoubleValue().getValue(), 0);
    assertFalse(count.hasConfidenceInterval());
  }

  @SuppressWarnings("deprecation")
  @Test
  public void aSuppressedSliceIsComparedOnlyByItsMessage() {
    EvalPlan plan =
        plan("cross_slicing_specs { baseline_spec { } slicing_specs { feature_keys: 'g' } }");
    SliceValues hidden = new SliceValues(group("b"), true, Map.of(), Map.of(), List.of());
    List<SliceMetricsComputer.Result> results =
        new CrossSliceComputer(plan)
            .compute(List.of(slice(SliceKey.OVERALL, 0.3, 0.001, 300), hidden));
    assertEquals(1, results.size());
    assertEquals(0, results.get(0).metrics().getMetricKeysAndValuesCount());
    assertTrue(results.get(0).metrics().getMetricsMap().containsKey("__ERROR__"));
  }

  @Test
  public void missingReplicatesOnEitherSideGiveTfmasMessage() {
    EvalPlan plan =
        plan("cross_slicing_specs { baseline_spec { } slicing_specs { feature_keys: 'g' } }");
    SliceValues partial = slice(group("a"), 0.5, 0.003, 10);
    partial.replicates().set(4, null);
    List<SliceMetricsComputer.Result> results =
        new CrossSliceComputer(plan)
            .compute(List.of(slice(SliceKey.OVERALL, 0.3, 0.001, 300), partial));
    MetricsForSlice metrics = results.get(0).metrics();
    assertEquals(
        "CI not computed because only 19 samples were non-empty. Expected 20.",
        metrics.getMetricKeysAndValuesList().stream()
            .filter(kv -> kv.getKey().getName().equals("__ERROR__"))
            .findFirst()
            .orElseThrow()
            .getValue()
            .getBytesValue()
            .getValue()
            .toStringUtf8());
  }

  @Test
  public void disparitiesAreFairlearnsStatisticsWithReplicateIntervals() {
    EvalPlan plan = plan("");
    List<SliceValues> slices =
        List.of(
            slice(SliceKey.OVERALL, 0.30, 0.001, 300),
            slice(group("a"), 0.50, 0.003, 100),
            slice(group("b"), 0.20, 0.002, 150),
            slice(group("c"), 0.25, 0.001, 50));
    DisparityReport report = new GroupDisparities(plan).compute(slices);
    assertEquals(0.95, report.getConfidenceLevel(), 0);
    assertEquals(1, report.getDisparitiesCount()); // counts have no disparity
    Disparity d = report.getDisparities(0);
    assertEquals(List.of("g"), d.getFeatureKeysList());
    assertEquals(RATE, d.getMetricKey());
    assertEquals(3, d.getSliceCount());
    assertEquals(group("a").toProto(), d.getMaxSlice());
    assertEquals(group("b").toProto(), d.getMinSlice());
    assertEquals(0.30, d.getDifference().getValue(), 1e-15);
    assertEquals(0.20 / 0.50, d.getRatio().getValue(), 1e-15);
    assertEquals(0.20, d.getDifferenceToOverall().getValue(), 1e-15);
    assertEquals(group("a").toProto(), d.getWorstSlice());
    assertEquals(0.30, d.getOverallValue(), 0);
    // In every replicate a stays the max and b the min, so the difference's replicates are
    // 0.30 + 0.001·(r − 9.5) and the ratio's (0.20 + 0.002·x) / (0.50 + 0.003·x).
    double[] difference = jackknife(0.30, slopes(0.30, 0.001));
    assertEquals(difference[0], d.getDifference().getLowerBound(), 1e-12);
    assertEquals(difference[2], d.getDifference().getStandardError(), 1e-12);
    double[] ratios = new double[20];
    for (int r = 0; r < 20; r++) {
      ratios[r] = (0.20 + 0.002 * (r - 9.5)) / (0.50 + 0.003 * (r - 9.5));
    }
    double[] ratio = jackknife(0.4, ratios);
    assertEquals(ratio[1], d.getRatio().getUpperBound(), 1e-12);
    // The p-value of a − b from its paired replicates, times the 3 pairs the two were picked from;
    // with one disparity, Holm leaves it as it is.
    double p =
        3
            * 2
            * new org.apache.commons.math3.distribution.TDistribution(19)
                .cumulativeProbability(-0.30 / difference[2]);
    assertEquals(p, d.getPValue(), 1e-15);
    assertEquals(d.getPValue(), d.getAdjustedPValue(), 0);
    assertTrue(d.getSignificant());
  }

  @Test
  public void holmAdjustsAcrossAllDisparitiesOfTheRun() {
    EvalPlan plan = plan("");
    // Two groups whose difference is 0.02 with a standard error of about 0.01: t ≈ 2, p ≈ 0.06.
    List<SliceValues> slices =
        List.of(slice(group("a"), 0.52, 0.0, 100), slice(group("b"), 0.50, 0.0, 100));
    // Replicate differences with a known spread: a's replicates alternate ±e around 0.52.
    for (int r = 0; r < 20; r++) {
      double e = (r % 2 == 0 ? 1 : -1) * 0.0023;
      slices.get(0).replicates().set(r, values(0.52 + e, 100));
    }
    Disparity d = new GroupDisparities(plan).compute(slices).getDisparities(0);
    double[] paired = new double[20];
    for (int r = 0; r < 20; r++) {
      paired[r] = 0.02 + (r % 2 == 0 ? 1 : -1) * 0.0023;
    }
    double error = jackknife(0.02, paired)[2];
    double p =
        2
            * new org.apache.commons.math3.distribution.TDistribution(19)
                .cumulativeProbability(-0.02 / error);
    assertEquals(p, d.getPValue(), 1e-12);
    assertEquals(p < 0.05, d.getSignificant());
  }

  /** FPR 1.0 from three negatives against 0.0: every replicate the same, so no evidence. */
  @Test
  public void aDifferenceNoReplicateVariesHasNoPValue() {
    List<SliceValues> slices =
        List.of(slice(group("a"), 1.0, 0.0, 3), slice(group("b"), 0.0, 0.0, 40));
    Disparity d = new GroupDisparities(plan("")).compute(slices).getDisparities(0);
    assertEquals(1.0, d.getDifference().getValue(), 0);
    assertTrue(Double.isNaN(d.getPValue()));
    assertTrue(Double.isNaN(d.getAdjustedPValue()));
    assertFalse(d.getSignificant());
  }

  private static MetricsForSlice.MetricKeyAndValue find(MetricsForSlice metrics, MetricKey key) {
    return metrics.getMetricKeysAndValuesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .orElseThrow();
  }
}
