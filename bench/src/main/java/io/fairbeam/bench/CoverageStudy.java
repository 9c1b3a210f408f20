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
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tfma.ConfidenceInterval;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The coverage study behind {@code scripts/coverage}: how often Fairbeam's 95% intervals contain
 * the truth. A population with known rates (two groups; per label a normal latent score through a
 * logistic, so FPR, TPR, accuracy and AUC at threshold 0.5 have closed forms; a candidate and a
 * correlated baseline model) is sampled R times at each slice size; each sample is evaluated by
 * Fairbeam's own read, aggregate and derive path (as one input file of its own), and the study
 * counts the intervals that contain the true value: FPR, TPR, accuracy and AUC of a slice, the
 * candidate − baseline difference of FPR, and the FPR disparity (max − min) between the groups.
 *
 * <p>Not a test: it prints the table, with the target band [0.93, 0.97] marked.
 */
public final class CoverageStudy {
  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  /** A group: its prevalence and the latent means of each model's score per label. */
  private record Group(
      String name, double prevalence, double[] positiveMean, double[] negativeMean) {
    double fpr(int model) {
      return 1 - NORMAL.cumulativeProbability(-negativeMean[model]);
    }

    double tpr(int model) {
      return 1 - NORMAL.cumulativeProbability(-positiveMean[model]);
    }

    double accuracy(int model) {
      return prevalence * tpr(model) + (1 - prevalence) * (1 - fpr(model));
    }

    double auc(int model) {
      return NORMAL.cumulativeProbability(
          (positiveMean[model] - negativeMean[model]) / Math.sqrt(2));
    }
  }

  private static final Group A =
      new Group("a", 0.3, new double[] {1.0, 0.6}, new double[] {-0.8, -0.6});
  private static final Group B =
      new Group("b", 0.4, new double[] {0.7, 0.6}, new double[] {-0.4, -0.6});

  /** The baseline's latent noise shares this much with the candidate's (correlation 0.7). */
  private static final double SHARED = 0.7;

  private static final String[] CHECKS = {
    "FPR", "TPR", "accuracy", "AUC", "FPR model diff", "FPR disparity"
  };

  private CoverageStudy() {}

  public static void main(String[] args) throws IOException {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int[] sizes = {50, 200, 1000, 10000};
    if (args.length > 1) {
      String[] parts = args[1].split(",");
      sizes = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        sizes[i] = Integer.parseInt(parts[i].trim());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "coverage of 95%% intervals over %d samples per size (slice a: prevalence %.1f;"
            + " true FPR %.4f, TPR %.4f, accuracy %.4f, AUC %.4f; FPR model diff %.4f;"
            + " FPR disparity %.4f)%n",
        repetitions,
        A.prevalence(),
        A.fpr(0),
        A.tpr(0),
        A.accuracy(0),
        A.auc(0),
        A.fpr(0) - A.fpr(1),
        Math.abs(A.fpr(0) - B.fpr(0)));
    System.out.printf(Locale.ROOT, "%-18s %7s", "method", "size");
    for (String check : CHECKS) {
      System.out.printf(Locale.ROOT, " %15s", check);
    }
    System.out.println();
    for (String method : new String[] {"JACKKNIFE", "POISSON_BOOTSTRAP"}) {
      EvalPlan plan = plan(method);
      for (int size : sizes) {
        long[] hits = new long[CHECKS.length];
        long[] tried = new long[CHECKS.length];
        Random random = new Random(20261126L * 31 + size);
        for (int rep = 0; rep < repetitions; rep++) {
          study(plan, size, rep, random, hits, tried);
        }
        System.out.printf(Locale.ROOT, "%-18s %7d", method, size);
        for (int c = 0; c < CHECKS.length; c++) {
          double coverage = tried[c] == 0 ? Double.NaN : hits[c] / (double) tried[c];
          String mark = coverage >= 0.93 && coverage <= 0.97 ? " " : "*";
          String shown =
              tried[c] == repetitions
                  ? String.format(Locale.ROOT, "%.3f%s", coverage, mark)
                  : String.format(Locale.ROOT, "%.3f%s (%d)", coverage, mark, tried[c]);
          System.out.printf(Locale.ROOT, " %15s", shown);
        }
        System.out.println();
      }
    }
    System.out.println(
        "* outside [0.93, 0.97]; (k): intervals computed in only k samples (TFMA's rule: a slice"
            + " needs data in every replicate)");
  }

  private static EvalPlan plan(String method) {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            String.join(
                "\n",
                "model_specs { name: 'candidate' label_key: 'label' prediction_key: 'new' }",
                "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'old'"
                    + " is_baseline: true }",
                "metrics_specs {",
                "  metrics { class_name: 'AUC' }",
                "  metrics { class_name: 'BinaryAccuracy' }",
                "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' }",
                "}",
                "slicing_specs { feature_keys: ['group'] }",
                "options { compute_confidence_intervals { value: true }",
                "  confidence_intervals { method: " + method + " } }"),
            "coverage");
    return EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
  }

  /** Samples both groups, evaluates them as one file, and counts the intervals that hit. */
  private static void study(
      EvalPlan plan, int size, int rep, Random random, long[] hits, long[] tried)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      for (Group group : new Group[] {A, B}) {
        for (int i = 0; i < size; i++) {
          int label = random.nextDouble() < group.prevalence() ? 1 : 0;
          double[] mean = label == 1 ? group.positiveMean() : group.negativeMean();
          double shared = random.nextGaussian();
          double own = random.nextGaussian();
          double candidate = mean[0] + shared;
          double baseline = mean[1] + SHARED * shared + Math.sqrt(1 - SHARED * SHARED) * own;
          Features features =
              Features.newBuilder()
                  .putFeature("label", int64(label))
                  .putFeature("new", float32((float) logistic(candidate)))
                  .putFeature("old", float32((float) logistic(baseline)))
                  .putFeature("group", bytes(group.name()))
                  .build();
          writer.write(Example.newBuilder().setFeatures(features).build().toByteArray());
        }
      }
    }
    Map<SliceKey, ModelAccumulators> slices;
    try (RecordEvaluator evaluator = new RecordEvaluator(plan, RecordFormat.TFRECORD, null, null)) {
      evaluator.evaluate(
          new ByteArrayInputStream(bytes.toByteArray()), "coverage-" + size + "-" + rep);
      slices = evaluator.drain().slices();
    }
    SliceMetricsComputer computer = new SliceMetricsComputer(plan);
    Map<String, SliceMetricsComputer.Result> results = new LinkedHashMap<>();
    List<SliceValues> values = new ArrayList<>();
    for (Group group : new Group[] {A, B}) {
      SliceKey key =
          SliceKey.of(List.of(new SliceKey.Column("group", SliceValue.ofString(group.name()))));
      SliceMetricsComputer.Result result = computer.compute(key, slices.get(key));
      results.put(group.name(), result);
      values.add(result.values());
    }
    MetricsForSlice a = results.get("a").metrics();
    String fpr = "fairness_indicators_metrics/false_positive_rate@0.5";
    count(0, interval(a, fpr, "candidate", false), A.fpr(0), hits, tried);
    count(
        1,
        interval(a, "fairness_indicators_metrics/true_positive_rate@0.5", "candidate", false),
        A.tpr(0),
        hits,
        tried);
    count(2, interval(a, "binary_accuracy", "candidate", false), A.accuracy(0), hits, tried);
    count(3, interval(a, "auc", "candidate", false), A.auc(0), hits, tried);
    count(4, interval(a, fpr, "candidate", true), A.fpr(0) - A.fpr(1), hits, tried);
    for (Disparity disparity : new GroupDisparities(plan).compute(values).getDisparitiesList()) {
      if (disparity.getMetricKey().getName().equals(fpr)
          && disparity.getMetricKey().getModelName().equals("candidate")) {
        Estimate difference = disparity.getDifference();
        double[] bounds =
            difference.getHasInterval()
                ? new double[] {difference.getLowerBound(), difference.getUpperBound()}
                : null;
        count(5, bounds, Math.abs(A.fpr(0) - B.fpr(0)), hits, tried);
      }
    }
  }

  private static double logistic(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** The {lower, upper} bounds of a metric of a model (or its diff), or null without interval. */
  private static double[] interval(
      MetricsForSlice metrics, String name, String model, boolean diff) {
    for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
      if (kv.getKey().getName().equals(name)
          && kv.getKey().getModelName().equals(model)
          && kv.getKey().getIsDiff() == diff
          && kv.hasConfidenceInterval()) {
        ConfidenceInterval ci = kv.getConfidenceInterval();
        return new double[] {
          ci.getLowerBound().getDoubleValue().getValue(),
          ci.getUpperBound().getDoubleValue().getValue()
        };
      }
    }
    return null;
  }

  private static void count(int check, double[] bounds, double truth, long[] hits, long[] tried) {
    if (bounds == null || !Double.isFinite(bounds[0]) || !Double.isFinite(bounds[1])) {
      return;
    }
    tried[check]++;
    if (bounds[0] <= truth && truth <= bounds[1]) {
      hits[check]++;
    }
  }
}
