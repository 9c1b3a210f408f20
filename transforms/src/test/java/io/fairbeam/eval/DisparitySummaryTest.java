package io.fairbeam.eval;

import static org.junit.Assert.assertEquals;

import com.google.protobuf.BoolValue;
import com.google.protobuf.DoubleValue;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.Test;

/**
 * Group disparities from {@link DisparitySummary}s merged in random groupings and orders, against
 * the statistics computed here from every slice at once, by their definitions: the max and min
 * slices (the first in key order on ties), max − min, min / max and the largest distance to Overall
 * recomputed over all slices in each replicate, the paired p-value of the max and min slices.
 */
public class DisparitySummaryTest {
  private static final MetricKey RATE =
      MetricKey.newBuilder()
          .setName("mean_label")
          .setModelName("")
          .setExampleWeighted(BoolValue.of(false))
          .build();
  private static final int REPLICATES = 20;

  private static EvalPlan plan() {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                + "metrics_specs { metrics { class_name: 'MeanLabel' } }\n"
                + "slicing_specs {} slicing_specs { feature_keys: 'g' }\n"
                + "options { compute_confidence_intervals { value: true } }\n",
            "c.pbtxt");
    return EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
  }

  /** A slice of group {@code g}, values on a grid of 0.05 so that slices tie. */
  private static SliceValues randomSlice(SliceKey key, Random random, boolean nanPoint) {
    double point = nanPoint ? Double.NaN : Math.round(random.nextDouble() * 20) / 20.0;
    List<Map<MetricKey, MetricValue>> replicates = new ArrayList<>();
    for (int r = 0; r < REPLICATES; r++) {
      replicates.add(value(point + (random.nextDouble() - 0.5) * 0.1));
    }
    Map<MetricKey, MetricValue> around = value(point + (random.nextDouble() - 0.5) * 0.01);
    return new SliceValues(key, false, value(point), around, replicates);
  }

  private static Map<MetricKey, MetricValue> value(double v) {
    Map<MetricKey, MetricValue> values = new LinkedHashMap<>();
    values.put(RATE, MetricValue.newBuilder().setDoubleValue(DoubleValue.of(v)).build());
    return values;
  }

  private static SliceKey group(int i) {
    return SliceKey.of(
        List.of(new SliceKey.Column("g", SliceValue.ofString(String.format("v%03d", i)))));
  }

  @Test
  public void anyGroupingAndOrderOfMergesGivesTheStatisticsOfAllSlices() {
    EvalPlan plan = plan();
    GroupDisparities disparities = new GroupDisparities(plan);
    for (int seed = 0; seed < 30; seed++) {
      Random random = new Random(seed);
      List<SliceValues> slices = new ArrayList<>();
      int count = 2 + random.nextInt(60);
      for (int i = 0; i < count; i++) {
        slices.add(randomSlice(group(i), random, random.nextInt(10) == 0));
      }
      SliceValues overall = randomSlice(SliceKey.OVERALL, random, false);
      Disparity expected = byDefinition(slices, overall);

      // Summaries merged in random groups, each group in a random order, as a combine would.
      Collections.shuffle(slices, random);
      List<DisparitySummary> groups = new ArrayList<>();
      for (SliceValues slice : slices) {
        DisparitySummary summary = disparities.summarize(slice).get(0);
        int g = random.nextInt(4);
        while (groups.size() <= g) {
          groups.add(new DisparitySummary());
        }
        groups.get(g).merge(summary);
      }
      Collections.shuffle(groups, random);
      DisparitySummary merged = new DisparitySummary();
      groups.forEach(merged::merge);
      List<Disparity> actual = disparities.disparities(0, merged, overall);
      if (expected == null) {
        assertEquals("seed " + seed, 0, actual.size());
        continue;
      }
      DisparityReport report = disparities.report(new TreeMap<>(Map.of(0, actual)));
      Disparity d = report.getDisparities(0);
      assertEquals("seed " + seed, expected.getMaxSlice(), d.getMaxSlice());
      assertEquals("seed " + seed, expected.getMinSlice(), d.getMinSlice());
      assertEquals("seed " + seed, expected.getWorstSlice(), d.getWorstSlice());
      assertEquals("seed " + seed, expected.getSliceCount(), d.getSliceCount());
      assertEstimate(expected.getDifference(), d.getDifference());
      assertEstimate(expected.getRatio(), d.getRatio());
      assertEstimate(expected.getDifferenceToOverall(), d.getDifferenceToOverall());
      assertEquals(expected.getPValue(), d.getPValue(), 1e-12);
      // The same slices all at once give the same disparity.
      List<SliceValues> all = new ArrayList<>(slices);
      all.add(overall);
      assertEquals(d, disparities.compute(all).getDisparities(0));
    }
  }

  private static void assertEstimate(Estimate expected, Estimate actual) {
    assertEquals(expected.getValue(), actual.getValue(), 1e-12);
    assertEquals(expected.getHasInterval(), actual.getHasInterval());
    assertEquals(expected.getLowerBound(), actual.getLowerBound(), 1e-12);
    assertEquals(expected.getUpperBound(), actual.getUpperBound(), 1e-12);
    assertEquals(expected.getStandardError(), actual.getStandardError(), 1e-12);
  }

  /** The disparity of all slices with a finite value, computed from every slice directly. */
  private static Disparity byDefinition(List<SliceValues> all, SliceValues overall) {
    List<SliceValues> slices = new ArrayList<>();
    for (SliceValues slice : all) {
      if (Double.isFinite(rate(slice.point()))) {
        slices.add(slice);
      }
    }
    if (slices.size() < 2) {
      return null;
    }
    slices.sort(Comparator.comparing(SliceValues::key));
    SliceValues max = slices.get(0);
    SliceValues min = slices.get(0);
    SliceValues worst = slices.get(0);
    double o = rate(overall.point());
    for (SliceValues slice : slices) {
      max = rate(slice.point()) > rate(max.point()) ? slice : max;
      min = rate(slice.point()) < rate(min.point()) ? slice : min;
      worst = Math.abs(rate(slice.point()) - o) > Math.abs(rate(worst.point()) - o) ? slice : worst;
    }
    double[] differences = new double[REPLICATES];
    double[] ratios = new double[REPLICATES];
    double[] distances = new double[REPLICATES];
    for (int r = 0; r < REPLICATES; r++) {
      double hi = Double.NEGATIVE_INFINITY;
      double lo = Double.POSITIVE_INFINITY;
      double far = 0;
      double overallReplicate = rate(overall.replicates().get(r));
      for (SliceValues slice : slices) {
        double v = rate(slice.replicates().get(r));
        hi = Math.max(hi, v);
        lo = Math.min(lo, v);
        far = Math.max(far, Math.abs(v - overallReplicate));
      }
      differences[r] = hi - lo;
      ratios[r] = lo / hi;
      distances[r] = far;
    }
    double aroundHi = Double.NEGATIVE_INFINITY;
    double aroundLo = Double.POSITIVE_INFINITY;
    double aroundFar = 0;
    double overallAround = rate(overall.replicatePoint());
    for (SliceValues slice : slices) {
      double v = rate(slice.replicatePoint());
      aroundHi = Math.max(aroundHi, v);
      aroundLo = Math.min(aroundLo, v);
      aroundFar = Math.max(aroundFar, Math.abs(v - overallAround));
    }
    double difference = rate(max.point()) - rate(min.point());
    double[] paired = new double[REPLICATES];
    for (int r = 0; r < REPLICATES; r++) {
      paired[r] = rate(max.replicates().get(r)) - rate(min.replicates().get(r));
    }
    double pairedError =
        IntervalsByHand.jackknife(rate(max.replicatePoint()) - rate(min.replicatePoint()), paired)[
            2];
    double n = slices.size();
    double p =
        Math.min(
            1,
            n
                * (n - 1)
                / 2
                * 2
                * new TDistribution(REPLICATES - 1)
                    .cumulativeProbability(-Math.abs(difference) / pairedError));
    return Disparity.newBuilder()
        .setMaxSlice(max.key().toProto())
        .setMinSlice(min.key().toProto())
        .setWorstSlice(worst.key().toProto())
        .setSliceCount(slices.size())
        .setDifference(estimate(difference, aroundHi - aroundLo, differences))
        .setRatio(estimate(rate(min.point()) / rate(max.point()), aroundLo / aroundHi, ratios))
        .setDifferenceToOverall(estimate(Math.abs(rate(worst.point()) - o), aroundFar, distances))
        .setPValue(p)
        .build();
  }

  private static Estimate estimate(double value, double centre, double[] replicates) {
    double[] interval = IntervalsByHand.jackknife(centre, replicates);
    double shift = value - centre;
    return Estimate.newBuilder()
        .setValue(value)
        .setHasInterval(true)
        .setLowerBound(interval[0] + shift)
        .setUpperBound(interval[1] + shift)
        .setStandardError(interval[2])
        .build();
  }

  private static double rate(Map<MetricKey, MetricValue> values) {
    return values.get(RATE).getDoubleValue().getValue();
  }
}
