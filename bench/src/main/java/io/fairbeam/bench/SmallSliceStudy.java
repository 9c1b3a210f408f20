package io.fairbeam.bench;

import static io.fairbeam.bench.PipelineBenchmark.bytes;
import static io.fairbeam.bench.PipelineBenchmark.float32;
import static io.fairbeam.bench.PipelineBenchmark.int64;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.GroupDisparities;
import io.fairbeam.eval.RecordEvaluator;
import io.fairbeam.eval.SliceMetricsComputer;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.metrics.Interval;
import io.fairbeam.metrics.IntervalEstimator;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import io.fairbeam.stats.AucScoreInterval;
import io.fairbeam.stats.Bounds;
import io.fairbeam.stats.ClopperPearsonInterval;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.KoopmanRatioInterval;
import io.fairbeam.stats.NewcombeDifferenceInterval;
import io.fairbeam.stats.Proportion;
import io.fairbeam.stats.WilsonInterval;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The small-slice study behind {@code scripts/coverage --small}: Fairbeam's decision intervals and
 * findings on slices of 5 to 1,000 examples (issue 25). Every sample is evaluated by Fairbeam's own
 * read, aggregate and derive path, so the rates and their (effective) counts are the ones a run
 * has.
 *
 * <ol>
 *   <li>Coverage: a slice's positive rate (the share predicted positive, true value p) for p near
 *       0, at 0.5 and near 1, unweighted and with example weights 1 or 4 (Kish's effective n); the
 *       difference and the ratio of two slices' rates (the second slice's rate is p + 0.1 or p −
 *       0.1, inside (0, 1)). The share of 95% intervals that contain the truth.
 *   <li>False findings: six slices of COMPAS's race sizes (4 to 2,454 examples) with the same rates
 *       (no true gap), Fairness Indicators at three thresholds and AUC, jackknife intervals on; the
 *       share of runs whose disparities report any significant gap (after Holm), and, before issue
 *       25, what a test on paired replicate differences reported on the same samples.
 *   <li>Power: the same with one slice of 377 examples whose false positive rate is higher by a
 *       known amount; the share of runs in which that gap is significant.
 * </ol>
 *
 * <p>Not a test: it prints what it measures.
 */
public final class SmallSliceStudy {
  private static final int[] SIZES = {5, 10, 20, 50, 200, 1000};
  private static final double[] RATES = {0.05, 0.5, 0.95};
  private static final double LEVEL = 0.95;
  private static final String POSITIVE_RATE = "fairness_indicators_metrics/positive_rate@0.5";
  private static final int[] RACE_SIZES = {4, 18, 32, 377, 637, 2454};

  private SmallSliceStudy() {}

  public static void main(String[] args) throws IOException {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    boolean all = args.length < 2;
    if (all || args[1].equals("rates")) {
      coverage(repetitions);
    }
    if (all || args[1].equals("auc")) {
      aucCoverage(repetitions);
    }
    if (all || args[1].equals("findings")) {
      findings(repetitions);
    }
  }

  /**
   * Coverage of two intervals for one slice's AUC, DeLong's logit interval and the score interval
   * ({@link AucScoreInterval}), and of their intervals of two slices' AUC difference (DeLong's
   * variances added; MOVER from the score intervals), at 10 to 500 positives and as many negatives:
   * scores from a latent N(±μ, 1) through a logistic, so the true AUC is Φ(2μ / √2). A sample
   * without an interval (DeLong's at an AUC of 1) counts as a miss: the decision then has nothing
   * to stand on.
   */
  private static void aucCoverage(int repetitions) throws IOException {
    EvalPlan plan = plan("metrics { class_name: 'AUC' }", false, false);
    NormalDistribution normal = new NormalDistribution(null, 0, 1);
    System.out.printf(
        Locale.ROOT,
        "%ncoverage of 95%% AUC intervals over %d samples: a slice's AUC and two slices' AUC"
            + " difference (the second slice's latent gap 0.8 smaller); DeLong (logit; variances"
            + " added) and score (Hanley-McNeil variance at the bound, Newcombe's N; MOVER)%n",
        repetitions);
    System.out.printf(
        Locale.ROOT,
        "%12s %6s %10s %10s %12s %12s %9s%n",
        "per class",
        "AUC",
        "delong",
        "score",
        "delong diff",
        "score diff",
        "no delong");
    for (int perClass : new int[] {10, 20, 50, 200, 500}) {
      for (double mu : new double[] {0.5, 1.2, 1.8}) {
        double[] gap = {2 * mu, 2 * mu - 0.8};
        double[] truth = {normal.cumulativeProbability(gap[0] / Math.sqrt(2)), 0};
        truth[1] = normal.cumulativeProbability(gap[1] / Math.sqrt(2));
        int[] counter = new int[2];
        Draw draw =
            (g, random) -> {
              // Exactly perClass positives then perClass negatives in each slice.
              int label = counter[g]++ < perClass ? 1 : 0;
              double z = (label == 1 ? gap[g] / 2 : -gap[g] / 2) + random.nextGaussian();
              return new double[] {label, 1 / (1 + Math.exp(-z)), 1};
            };
        // delong, score, delong difference, score difference
        long[] hits = new long[4];
        long missing = 0;
        SplittableRandom random = new SplittableRandom(4242L + perClass * 31L + (long) (mu * 10));
        double z = normal.inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        double want = truth[0] - truth[1];
        for (int rep = 0; rep < repetitions; rep++) {
          counter[0] = 0;
          counter[1] = 0;
          List<SliceValues> slices =
              evaluate(plan, new int[] {2 * perClass, 2 * perClass}, draw, random);
          DeLongAucInterval.Estimate a = auc(slices.get(0));
          DeLongAucInterval.Estimate b = auc(slices.get(1));
          Bounds delong = DeLongAucInterval.around(a.auc(), a.variance(), LEVEL);
          missing += delong == null ? 1 : 0;
          hits[0] += delong != null && delong.contains(truth[0]) ? 1 : 0;
          Bounds score = AucScoreInterval.of(a.auc(), a.positives(), a.negatives(), LEVEL);
          hits[1] += score.contains(truth[0]) ? 1 : 0;
          double se = Math.sqrt(a.variance() + b.variance());
          double d = a.auc() - b.auc();
          hits[2] += se > 0 && d - z * se <= want && want <= d + z * se ? 1 : 0;
          Bounds mover =
              AucScoreInterval.difference(
                  a.auc(),
                  a.positives(),
                  a.negatives(),
                  b.auc(),
                  b.positives(),
                  b.negatives(),
                  LEVEL);
          hits[3] += mover.contains(want) ? 1 : 0;
        }
        StringBuilder line =
            new StringBuilder(String.format(Locale.ROOT, "%12d %6.3f", perClass, truth[0]));
        int[] widths = {10, 10, 12, 12};
        for (int i = 0; i < 4; i++) {
          double coverage = hits[i] / (double) repetitions;
          line.append(
              String.format(
                  Locale.ROOT,
                  " %" + (widths[i] - 1) + ".3f%s",
                  coverage,
                  coverage >= 0.93 && coverage <= 0.97 ? " " : "*"));
        }
        line.append(String.format(Locale.ROOT, " %9d", missing));
        System.out.println(line);
      }
    }
  }

  private static MetricKey aucKey(SliceValues slice) {
    return slice.aucs().keySet().iterator().next();
  }

  private static DeLongAucInterval.Estimate auc(SliceValues slice) {
    return slice.aucs().values().iterator().next();
  }

  private static EvalPlan plan(String metrics, boolean weighted, boolean intervals) {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            String.join(
                "\n",
                "model_specs { label_key: 'label' prediction_key: 'score'"
                    + (weighted ? " example_weight_key: 'weight'" : "")
                    + " }",
                "metrics_specs { "
                    + metrics
                    + (weighted ? " example_weights { weighted: true }" : "")
                    + " }",
                "slicing_specs { feature_keys: ['group'] }",
                intervals ? "options { compute_confidence_intervals { value: true } }" : ""),
            "small-slices");
    return EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
  }

  /** One sampled slice: its size, and each example's label and score drawn by {@code draw}. */
  private interface Draw {
    /** {label, score, weight} of one example of slice {@code group}. */
    double[] example(int group, SplittableRandom random);
  }

  /** Evaluates slices g0, g1, ... of the given sizes through Fairbeam's path. */
  private static List<SliceValues> evaluate(
      EvalPlan plan, int[] sizes, Draw draw, SplittableRandom random) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(out)) {
      for (int g = 0; g < sizes.length; g++) {
        for (int i = 0; i < sizes[g]; i++) {
          double[] e = draw.example(g, random);
          Features features =
              Features.newBuilder()
                  .putFeature("label", int64((long) e[0]))
                  .putFeature("score", float32((float) e[1]))
                  .putFeature("weight", float32((float) e[2]))
                  .putFeature("group", bytes("g" + g))
                  .build();
          writer.write(Example.newBuilder().setFeatures(features).build().toByteArray());
        }
      }
    }
    Map<SliceKey, ModelAccumulators> slices;
    try (RecordEvaluator evaluator = new RecordEvaluator(plan, RecordFormat.TFRECORD, null, null)) {
      evaluator.evaluate(new ByteArrayInputStream(out.toByteArray()), "small-slices");
      slices = evaluator.drain().slices();
    }
    SliceMetricsComputer computer = new SliceMetricsComputer(plan);
    List<SliceValues> values = new ArrayList<>();
    for (int g = 0; g < sizes.length; g++) {
      SliceKey key =
          SliceKey.of(List.of(new SliceKey.Column("group", SliceValue.ofString("g" + g))));
      ModelAccumulators accumulators = slices.get(key);
      if (accumulators != null) {
        values.add(computer.compute(key, accumulators).values());
      }
    }
    return values;
  }

  private static Proportion proportion(SliceValues slice, String name) {
    for (Map.Entry<MetricKey, Proportion> e : slice.proportions().entrySet()) {
      if (e.getKey().getName().equals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static void coverage(int repetitions) throws IOException {
    String metrics =
        "metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' }";
    EvalPlan unweighted = plan(metrics, false, false);
    EvalPlan weighted = plan(metrics, true, false);
    System.out.printf(
        Locale.ROOT,
        "coverage of 95%% decision intervals over %d samples (* outside [0.93, 0.97]):"
            + " a slice's positive rate p (Clopper-Pearson, the default, and Wilson), the same"
            + " with weights 1 or 4 (Kish; Clopper-Pearson), and two slices' difference"
            + " (Newcombe) and ratio (Koopman), the second at p ± 0.1%n",
        repetitions);
    System.out.printf(
        Locale.ROOT,
        "%6s %5s %10s %10s %10s %10s %10s%n",
        "n",
        "p",
        "rate CP",
        "rate W",
        "weighted",
        "difference",
        "ratio");
    for (int n : SIZES) {
      for (double p : RATES) {
        double q = p < 0.5 ? p + 0.1 : p - 0.1;
        double[] truth = {p, q};
        Draw draw =
            (g, random) -> {
              boolean positive = random.nextDouble() < truth[g];
              return new double[] {random.nextInt(2), positive ? 0.9 : 0.1, 1};
            };
        Draw weightedDraw =
            (g, random) -> {
              boolean positive = random.nextDouble() < truth[g];
              return new double[] {
                random.nextInt(2), positive ? 0.9 : 0.1, random.nextBoolean() ? 1 : 4
              };
            };
        long[] hits = new long[5];
        long[] tried = new long[5];
        SplittableRandom random =
            new SplittableRandom(2025L * 1_000_003 + n * 7919L + (long) (p * 1000));
        for (int rep = 0; rep < repetitions; rep++) {
          List<SliceValues> slices = evaluate(unweighted, new int[] {n, n}, draw, random);
          Proportion a = proportion(slices.get(0), POSITIVE_RATE);
          Proportion b = proportion(slices.get(1), POSITIVE_RATE);
          count(0, ClopperPearsonInterval.of(a, LEVEL), p, hits, tried);
          count(1, WilsonInterval.of(a, LEVEL), p, hits, tried);
          count(3, NewcombeDifferenceInterval.of(a, b, LEVEL), p - q, hits, tried);
          count(4, KoopmanRatioInterval.of(a, b, LEVEL), p / q, hits, tried);
          List<SliceValues> heavy = evaluate(weighted, new int[] {n}, weightedDraw, random);
          Proportion w = proportion(heavy.get(0), POSITIVE_RATE);
          count(2, ClopperPearsonInterval.of(w, LEVEL), p, hits, tried);
        }
        System.out.printf(Locale.ROOT, "%6d %5.2f", n, p);
        for (int c = 0; c < hits.length; c++) {
          double share = hits[c] / (double) tried[c];
          System.out.printf(
              Locale.ROOT, " %9.3f%s", share, share >= 0.93 && share <= 0.97 ? " " : "*");
        }
        System.out.println();
      }
    }
  }

  private static void count(int column, Bounds bounds, double truth, long[] hits, long[] tried) {
    tried[column]++;
    if (bounds.lower() <= truth && truth <= bounds.upper()) {
      hits[column]++;
    }
  }

  private static void findings(int repetitions) throws IOException {
    EvalPlan plan =
        plan(
            "metrics { class_name: 'AUC' }"
                + " metrics { class_name: 'FairnessIndicators'"
                + " config: '{\"thresholds\": [0.25, 0.45, 0.65]}' }",
            false,
            true);
    System.out.printf(
        Locale.ROOT,
        "%nfindings over %d runs: six slices of %s examples, Fairness Indicators at 0.25, 0.45,"
            + " 0.65 and AUC, jackknife intervals; a run's false finding is any significant"
            + " disparity (Holm over the run's disparities)%n",
        repetitions,
        java.util.Arrays.toString(RACE_SIZES));
    for (double gap : new double[] {0, 0.05, 0.1, 0.15, 0.2}) {
      // Prevalence 0.45; latent score N(±0.6, 1) through a logistic, as a risk score might be.
      // The slice of 377 examples (index 3) has its negatives' scores shifted up by the gap's
      // worth of false positive rate at 0.45.
      double shift = shiftFor(gap);
      Draw draw =
          (g, random) -> {
            int label = random.nextDouble() < 0.45 ? 1 : 0;
            double mean = label == 1 ? 0.6 : -0.6 + (g == 3 ? shift : 0);
            double z = mean + random.nextGaussian();
            return new double[] {label, 1 / (1 + Math.exp(-z)), 1};
          };
      SplittableRandom random = new SplittableRandom(77_000L + (long) (gap * 1000));
      int anySignificant = 0;
      int gapFound = 0;
      int replicatesAny = 0;
      for (int rep = 0; rep < repetitions; rep++) {
        List<SliceValues> slices = evaluate(plan, RACE_SIZES, draw, random);
        DisparityReport report = new GroupDisparities(plan).compute(slices);
        boolean any = false;
        boolean found = false;
        for (Disparity d : report.getDisparitiesList()) {
          if (!d.getSignificant()) {
            continue;
          }
          any = true;
          String name = d.getMetricKey().getName();
          boolean fpr = name.endsWith("/false_positive_rate@0.45");
          String high =
              d.getTest().getHigh().getSlice().getSingleSliceKeys(0).getBytesValue().toStringUtf8();
          found |= fpr && high.equals("g3");
        }
        anySignificant += any ? 1 : 0;
        gapFound += found ? 1 : 0;
        replicatesAny += replicateTestFindsAny(plan, slices) ? 1 : 0;
      }
      System.out.printf(
          Locale.ROOT,
          "  FPR@0.45 gap %.2f: runs with a significant gap %.3f; runs finding the planted gap"
              + " %.3f; before (paired replicates, no minimum count) %.3f%n",
          gap,
          anySignificant / (double) repetitions,
          gapFound / (double) repetitions,
          replicatesAny / (double) repetitions);
    }
  }

  /**
   * The shift of the negatives' latent mean that raises their rate above logit(0.45) by {@code
   * gap}.
   */
  private static double shiftFor(double gap) {
    NormalDistribution normal = new NormalDistribution(null, 0, 1);
    double cut = Math.log(0.45 / 0.55);
    double base = 1 - normal.cumulativeProbability(cut + 0.6);
    return gap == 0 ? 0 : cut + 0.6 - normal.inverseCumulativeProbability(1 - (base + gap));
  }

  /**
   * Whether the test before issue 25 would have reported a significant gap on these slices: for
   * every metric, the max and min slices over all slices (whatever their size), the two-sided t
   * p-value of their paired replicate differences (none when the differences do not vary),
   * Bonferroni over the pairs, Holm over the run.
   */
  private static boolean replicateTestFindsAny(EvalPlan plan, List<SliceValues> slices) {
    IntervalEstimator estimator =
        IntervalEstimator.of(
            plan.confidenceIntervals().resampling(), plan.confidenceIntervals().level());
    List<Double> ps = new ArrayList<>();
    for (MetricKey key : slices.get(0).point().keySet()) {
      if (key.getName().equals("example_count")
          || !slices.get(0).point().get(key).hasDoubleValue()) {
        continue;
      }
      SliceValues max = null;
      SliceValues min = null;
      int finite = 0;
      for (SliceValues slice : slices) {
        double v = value(slice.point(), key);
        if (!Double.isFinite(v)) {
          continue;
        }
        finite++;
        max = max == null || v > value(max.point(), key) ? slice : max;
        min = min == null || v < value(min.point(), key) ? slice : min;
      }
      if (finite < 2) {
        continue;
      }
      double[] paired = new double[estimator.replicates()];
      boolean complete = true;
      for (int r = 0; r < paired.length && complete; r++) {
        Map<MetricKey, io.fairbeam.proto.tfma.MetricValue> hi = max.replicates().get(r);
        Map<MetricKey, io.fairbeam.proto.tfma.MetricValue> lo = min.replicates().get(r);
        paired[r] = hi == null || lo == null ? Double.NaN : value(hi, key) - value(lo, key);
        complete = Double.isFinite(paired[r]);
      }
      if (!complete) {
        continue;
      }
      Interval interval =
          estimator.interval(
              value(max.replicatePoint(), key) - value(min.replicatePoint(), key), paired);
      if (!(interval.standardError() > 0)) {
        continue;
      }
      double t =
          Math.abs((value(max.point(), key) - value(min.point(), key)) / interval.standardError());
      double p =
          2 * new TDistribution(null, interval.degreesOfFreedom(), 1e-15).cumulativeProbability(-t);
      ps.add(Math.min(1, p * finite * (finite - 1) / 2.0));
    }
    ps.sort(Double::compare);
    double running = 0;
    for (int i = 0; i < ps.size(); i++) {
      running = Math.max(running, Math.min(1, (ps.size() - i) * ps.get(i)));
      if (running < 1 - LEVEL) {
        return true;
      }
    }
    return false;
  }

  private static double value(
      Map<MetricKey, io.fairbeam.proto.tfma.MetricValue> values, MetricKey key) {
    io.fairbeam.proto.tfma.MetricValue v = values.get(key);
    return v == null || !v.hasDoubleValue() ? Double.NaN : v.getDoubleValue().getValue();
  }
}
