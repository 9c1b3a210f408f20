package io.fairbeam.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.PreparedExample;
import io.fairbeam.metrics.SampleWeights;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.GapTest;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.Test;

/**
 * The decision behind a disparity, from examples to test: slices accumulated from labelled
 * examples, their metrics derived as for a run, and the disparity of precision judged from the
 * counts. Checked by hand: which slices are compared (a 4-example slice with precision 1 is shown
 * but never a side), the Wilson (when asked) or Clopper-Pearson (by default) interval of each side,
 * the p-value of Newcombe's interval with its Bonferroni factor, and the effective number of
 * examples under example weights.
 */
public class GapTestsTest {
  private static final String PRECISION = "fairness_indicators_metrics/precision@0.5";

  private static EvalPlan plan(String options, boolean weighted) {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'y' prediction_key: 'p'"
                + (weighted ? " example_weight_key: 'w'" : "")
                + " }\n"
                + "metrics_specs { metrics { class_name: 'FairnessIndicators'"
                + " config: '{\"thresholds\": [0.5]}' }"
                + (weighted ? " example_weights { weighted: true }" : "")
                + " }\n"
                + "slicing_specs { feature_keys: 'race' }\n"
                + options,
            "c.pbtxt");
    return EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
  }

  /**
   * A slice of {@code truePositives} and {@code falsePositives} predicted positive (0.9), and
   * {@code negatives} predicted and labelled negative, each of weight {@code weight}; then its
   * values as a run derives them.
   */
  private static SliceValues slice(
      EvalPlan plan,
      String race,
      int truePositives,
      int falsePositives,
      int negatives,
      double... weights) {
    ModelAccumulators accumulators = new ModelAccumulators(plan.accumulatorSpec(), 1);
    List<double[]> examples = new ArrayList<>();
    for (int i = 0; i < truePositives; i++) {
      examples.add(new double[] {1, 0.9});
    }
    for (int i = 0; i < falsePositives; i++) {
      examples.add(new double[] {0, 0.9});
    }
    for (int i = 0; i < negatives; i++) {
      examples.add(new double[] {0, 0.1});
    }
    for (int i = 0; i < examples.size(); i++) {
      PreparedExample example = new PreparedExample(plan.accumulatorSpec());
      double weight = weights.length == 0 ? 1 : weights[i % weights.length];
      example.prepare(examples.get(i)[0], examples.get(i)[1], weight);
      accumulators.add(new PreparedExample[] {example}, SampleWeights.pointEstimateOnly());
    }
    SliceKey key = SliceKey.of(List.of(new SliceKey.Column("race", SliceValue.ofString(race))));
    return new SliceMetricsComputer(plan).compute(key, accumulators).values();
  }

  private static Disparity precision(DisparityReport report) {
    return report.getDisparitiesList().stream()
        .filter(d -> d.getMetricKey().getName().equals(PRECISION))
        .findFirst()
        .orElseThrow();
  }

  /** Wilson's interval by its closed form. */
  private static double[] wilson(double k, double n, double z) {
    double p = k / n;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    return new double[] {centre - half, centre + half};
  }

  private static final String WILSON = "options { confidence_intervals { rate_interval: WILSON } }";

  private static double zOf(double p) {
    return new NormalDistribution().inverseCumulativeProbability(1 - p / 2);
  }

  @Test
  public void aHandfulOfExamplesIsShownButNeverASide() {
    EvalPlan plan = plan(WILSON, false);
    List<SliceValues> slices =
        List.of(
            slice(plan, "Native American", 3, 0, 1),
            slice(plan, "Hispanic", 150, 50, 100),
            slice(plan, "Other", 150, 150, 20),
            slice(plan, "Asian", 60, 40, 5));
    Disparity d = precision(new GroupDisparities(plan).compute(slices));
    // fairlearn's statistic is over every slice: precision 3/3 is the largest.
    assertEquals(
        "Native American", d.getMaxSlice().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
    assertEquals(1, d.getMaxValue(), 0);
    // The test compares the slices with at least 10 predicted positives behind their precision.
    GapTest test = d.getTest();
    assertEquals("score", test.getMethod());
    assertEquals(3, test.getSliceCount());
    assertEquals(10, test.getMinCount());
    assertEquals(
        "Hispanic", test.getHigh().getSlice().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
    assertEquals(
        "Other", test.getLow().getSlice().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
    assertEquals(200, test.getHigh().getCount(), 1e-9);
    assertEquals(300, test.getLow().getCount(), 1e-9);
    double z = new NormalDistribution().inverseCumulativeProbability(0.975);
    double[] high = wilson(150, 200, z);
    assertEquals(0.75, test.getHigh().getValue().getValue(), 1e-15);
    assertEquals(high[0], test.getHigh().getValue().getLowerBound(), 1e-12);
    assertEquals(high[1], test.getHigh().getValue().getUpperBound(), 1e-12);
    double[] low = wilson(150, 300, z);
    // Newcombe: d - sqrt((p1 - l1)^2 + (u2 - p2)^2), d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
    double diff = 0.25;
    assertEquals(
        diff - Math.hypot(0.75 - high[0], low[1] - 0.5),
        test.getDifference().getLowerBound(),
        1e-12);
    assertEquals(
        diff + Math.hypot(high[1] - 0.75, 0.5 - low[0]),
        test.getDifference().getUpperBound(),
        1e-12);
    assertEquals(0.5 / 0.75, test.getRatio().getValue(), 1e-15);
    assertTrue(test.getRatio().getUpperBound() < 0.8);
    // Newcombe's p-value (its interval at level 1 - p touches 0), times the 3 pairs of the 3
    // tested slices.
    double p = d.getPValue() / 3;
    double touching =
        0.25 - Math.hypot(0.75 - wilson(150, 200, zOf(p))[0], wilson(150, 300, zOf(p))[1] - 0.5);
    assertEquals(0, touching, 1e-9);
    assertTrue(p > 0 && p < 1e-6);
    assertTrue(d.getSignificant());
  }

  @Test
  public void theGapComparedIsTheOneTheCountsSupportBest() {
    EvalPlan plan = plan(WILSON, false);
    // By value, "small" (2 of 12) is the lowest precision; its Wilson upper bound (0.448) is
    // above "mid"'s (90 of 300: 0.353), so "mid" is the slice surely lowest.
    List<SliceValues> slices =
        List.of(
            slice(plan, "high", 150, 50, 0),
            slice(plan, "small", 2, 10, 0),
            slice(plan, "mid", 90, 210, 0));
    Disparity d = precision(new GroupDisparities(plan).compute(slices));
    assertEquals("small", d.getMinSlice().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
    GapTest test = d.getTest();
    assertEquals(
        "high", test.getHigh().getSlice().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
    assertEquals(
        "mid", test.getLow().getSlice().getSingleSliceKeys(0).getBytesValue().toStringUtf8());
    assertEquals(0.3, test.getLow().getValue().getValue(), 1e-15);
    // The pair is chosen from all three slices: three pairs in the Bonferroni factor.
    assertEquals(3, test.getSliceCount());
  }

  /** Slice {@code race}'s examples: scores of positives, then of negatives. */
  private static SliceValues scored(
      EvalPlan plan, String race, double[] positives, double[] negatives) {
    ModelAccumulators accumulators = new ModelAccumulators(plan.accumulatorSpec(), 1);
    for (double[] group : new double[][] {positives, negatives}) {
      for (double score : group) {
        PreparedExample example = new PreparedExample(plan.accumulatorSpec());
        example.prepare(group == positives ? 1 : 0, score, 1);
        accumulators.add(new PreparedExample[] {example}, SampleWeights.pointEstimateOnly());
      }
    }
    SliceKey key = SliceKey.of(List.of(new SliceKey.Column("race", SliceValue.ofString(race))));
    return new SliceMetricsComputer(plan).compute(key, accumulators).values();
  }

  /** AUC and DeLong's variance by the pairwise definition: {auc, variance}. */
  private static double[] deLongPairwise(double[] positives, double[] negatives) {
    int m = positives.length;
    int n = negatives.length;
    double[] v10 = new double[m];
    double[] v01 = new double[n];
    double auc = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double psi = positives[i] > negatives[j] ? 1 : positives[i] == negatives[j] ? 0.5 : 0;
        v10[i] += psi / n;
        v01[j] += psi / m;
        auc += psi / (m * (double) n);
      }
    }
    double s10 = 0;
    for (double v : v10) {
      s10 += (v - auc) * (v - auc) / (m - 1);
    }
    double s01 = 0;
    for (double v : v01) {
      s01 += (v - auc) * (v - auc) / (n - 1);
    }
    return new double[] {auc, s10 / m + s01 / n};
  }

  /**
   * An AUC gap is judged from each side's score interval: MOVER's difference and the p-value that
   * inverts it, against the same construction solved by {@code scipy.optimize.brentq} from the
   * pairwise AUCs (0.866667 from 30 + 40, 0.585143 from 25 + 35).
   */
  @Test
  public void anAucGapIsJudgedByItsScoreIntervals() {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                + "metrics_specs { metrics { class_name: 'AUC' } }\n"
                + "slicing_specs { feature_keys: 'race' }\n",
            "c.pbtxt");
    EvalPlan plan = EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
    // Scores at 0.00125 + k / 100: one per histogram bucket, no ties.
    double[][] a = {new double[30], new double[40]};
    double[][] b = {new double[25], new double[35]};
    for (int i = 0; i < 30; i++) {
      a[0][i] = 0.00125 + (30 + 2 * i % 68) / 100.0;
    }
    for (int i = 0; i < 40; i++) {
      a[1][i] = 0.00125 + (1 + (3 * i) % 60) / 100.0 + 0.0001;
    }
    for (int i = 0; i < 25; i++) {
      b[0][i] = 0.00125 + (10 + 3 * i) / 100.0 + 0.0002;
    }
    for (int i = 0; i < 35; i++) {
      b[1][i] = 0.00125 + (5 + 2 * i) / 100.0 + 0.0003;
    }
    Disparity d =
        new GroupDisparities(plan)
            .compute(List.of(scored(plan, "a", a[0], a[1]), scored(plan, "b", b[0], b[1])))
            .getDisparities(0);
    double[] da = deLongPairwise(a[0], a[1]);
    double[] db = deLongPairwise(b[0], b[1]);
    GapTest test = d.getTest();
    assertEquals("auc-score", test.getMethod());
    assertEquals(25, test.getLow().getCount(), 1e-9); // b's rarer class: 25 positives
    double high = test.getHigh().getValue().getValue();
    double low = test.getLow().getValue().getValue();
    assertEquals(Math.max(da[0], db[0]), high, 1e-4); // TFMA's interpolated AUC
    assertEquals(Math.min(da[0], db[0]), low, 1e-4);
    assertEquals(0.8666666666666667, da[0], 1e-12);
    assertEquals(0.5851428571428572, db[0], 1e-12);
    assertEquals(0.10612217358598747, test.getDifference().getLowerBound(), 1e-6);
    assertEquals(0.44262644412946184, test.getDifference().getUpperBound(), 1e-6);
    assertEquals(0.001734079345907848, d.getPValue(), 1e-6);
  }

  @Test
  public void fewerThanTwoLargeEnoughSlicesAreNotTested() {
    EvalPlan plan = plan("", false);
    List<SliceValues> slices = List.of(slice(plan, "a", 3, 0, 1), slice(plan, "b", 150, 50, 100));
    Disparity d = precision(new GroupDisparities(plan).compute(slices));
    assertFalse(d.hasTest());
    assertTrue(Double.isNaN(d.getPValue()));
    assertFalse(d.getSignificant());
    // min_finding_count lowered to 3: the tiny slice becomes a side, and 3 of 3 against 150 of
    // 200 is no evidence of a gap (p = 0.34 before any adjustment).
    EvalPlan lenient = plan("options { confidence_intervals { min_finding_count: 3 } }", false);
    Disparity e =
        precision(
            new GroupDisparities(lenient)
                .compute(List.of(slice(lenient, "a", 3, 0, 1), slice(lenient, "b", 150, 50, 100))));
    assertEquals(2, e.getTest().getSliceCount());
    assertFalse(e.getSignificant());
    assertTrue(e.getPValue() > 0.3);
  }

  @Test
  public void unequalWeightsCountFewerEffectiveExamples() {
    EvalPlan plan = plan(WILSON, true);
    // Weights 1 and 3 alternate: Kish's factor is sum(w) / sum(w^2) = 4 / 10 per pair.
    SliceValues a = slice(plan, "a", 100, 100, 0, 1, 3);
    SliceValues b = slice(plan, "b", 100, 0, 100, 1, 3);
    Disparity d = precision(new GroupDisparities(plan).compute(List.of(a, b)));
    // 200 predicted positives weigh 400; effective 400 * 0.4 = 160.
    assertEquals(160, d.getTest().getLow().getCount(), 1e-9);
    assertEquals(0.5, d.getTest().getLow().getValue().getValue(), 1e-15);
    double[] low = wilson(80, 160, new NormalDistribution().inverseCumulativeProbability(0.975));
    assertEquals(low[0], d.getTest().getLow().getValue().getLowerBound(), 1e-12);
  }

  @Test
  public void clopperPearsonByDefault() {
    EvalPlan plan = plan("", false);
    Disparity d =
        precision(
            new GroupDisparities(plan)
                .compute(List.of(slice(plan, "a", 10, 0, 0), slice(plan, "b", 5, 5, 0))));
    // Clopper-Pearson of 10/10 at 95%: [0.025^(1/10), 1].
    assertEquals(Math.pow(0.025, 0.1), d.getTest().getHigh().getValue().getLowerBound(), 1e-9);
    assertEquals(1, d.getTest().getHigh().getValue().getUpperBound(), 0);
  }
}
