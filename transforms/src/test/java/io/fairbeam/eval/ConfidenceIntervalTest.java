package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.ConfigLocations;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.Resampling;
import io.fairbeam.metrics.SampleAssignment;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/**
 * Jackknife and bootstrap intervals end to end (records read, assigned to samples, aggregated,
 * derived), against the same intervals computed here by hand from per-bucket sums: the
 * leave-one-out values, TFMA's pseudo-values, the standard error and bounds with scipy's t
 * quantile.
 */
public class ConfidenceIntervalTest {
  private static final double T_975_19 = IntervalsByHand.T_975_19;

  private static final EvalPlan PLAN = plan("");

  private static final EvalPlan BOOTSTRAP_PLAN =
      plan("confidence_intervals { method: POISSON_BOOTSTRAP }");

  private static EvalPlan plan(String intervalOptions) {
    return EvalPlan.create(
        EvalConfigLoader.parse(
                "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                    + "metrics_specs { metrics { class_name: 'ExampleCount' }"
                    + " metrics { class_name: 'MeanLabel' }"
                    + " metrics { class_name: 'FairnessIndicators'"
                    + " config: '{\"thresholds\": [0.5]}' } }\n"
                    + "options { compute_confidence_intervals { value: true } "
                    + intervalOptions
                    + " }\n",
                "ci.pbtxt")
            .config(),
        ConfigLocations.none(),
        BadRecordPolicy.FAIL);
  }

  /** Expected lower, upper and standard error from per-bucket numerators and denominators. */
  private static double[] byHand(double[] numerators, double[] denominators) {
    int n = numerators.length;
    double num = 0;
    double den = 0;
    for (int b = 0; b < n; b++) {
      num += numerators[b];
      den += denominators[b];
    }
    double[] leftOut = new double[n];
    for (int b = 0; b < n; b++) {
      leftOut[b] = (num - numerators[b]) / (den - denominators[b]);
    }
    return IntervalsByHand.jackknife(num / den, leftOut);
  }

  /** 400 random records as TFRecord bytes, and their per-sample sums under some sample weights. */
  private record Sample(
      byte[] bytes,
      double labelSum,
      double[] labels,
      double[] counts,
      double[] falsePositives,
      double[] negatives) {}

  /** The weight of the record with sample hash {@code hash} in sample {@code sample}. */
  private interface SampleWeight {
    double of(long hash, int sample);
  }

  private static Sample sample(long seed, Resampling resampling, SampleWeight weight)
      throws Exception {
    Random random = new Random(seed);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    double[] labels = new double[20];
    double[] counts = new double[20];
    double[] falsePositives = new double[20];
    double[] negatives = new double[20];
    double labelSum = 0;
    SampleAssignment assignment = new SampleAssignment(0, resampling);
    long source = SampleAssignment.sourceHash("part-0.tfrecord");
    long offset = 0;
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      for (int i = 0; i < RECORDS; i++) {
        int label = random.nextInt(3) == 0 ? 1 : 0;
        float score = random.nextFloat();
        byte[] record = example("y", ints(label), "p", floats(score)).toByteArray();
        writer.write(record);
        labelSum += label;
        // A TFRecord record is sampled by its byte offset: 12 bytes of header, 4 of footer.
        long hash = assignment.recordHash(source, offset);
        offset += 16 + record.length;
        for (int r = 0; r < 20; r++) {
          double w = weight.of(hash, r);
          labels[r] += w * label;
          counts[r] += w;
          if (label == 0) {
            negatives[r] += w;
            if (score > 0.5) {
              falsePositives[r] += w;
            }
          }
        }
      }
    }
    return new Sample(bytes.toByteArray(), labelSum, labels, counts, falsePositives, negatives);
  }

  private static final int RECORDS = 400;

  @Test
  public void intervalsEqualAHandComputationFromBucketSums() throws Exception {
    SampleAssignment buckets = new SampleAssignment(0, 20);
    Sample sample = sample(11, PLAN.resampling(), (hash, b) -> buckets.bucket(hash) == b ? 1 : 0);
    double[] labels = sample.labels();
    double[] counts = sample.counts();
    double[] falsePositives = sample.falsePositives();
    double[] negatives = sample.negatives();
    int records = RECORDS;
    ModelAccumulators overall;
    try (RecordEvaluator evaluator = new RecordEvaluator(PLAN, RecordFormat.TFRECORD, null, null)) {
      evaluator.evaluate(new ByteArrayInputStream(sample.bytes()), "/some/where/part-0.tfrecord");
      overall = evaluator.drain().slices().get(SliceKey.OVERALL);
    }
    assertEquals(20, overall.nonEmptyReplicates());
    MetricsForSlice metrics =
        new SliceMetricsComputer(PLAN).compute(SliceKey.OVERALL, overall).metrics();

    check(metrics, "mean_label", byHand(labels, counts));
    check(
        metrics,
        "fairness_indicators_metrics/false_positive_rate@0.5",
        byHand(falsePositives, negatives));
    MetricsForSlice.MetricKeyAndValue count = find(metrics, "example_count");
    assertFalse(count.hasConfidenceInterval());
    assertEquals(records, count.getValue().getDoubleValue().getValue(), 0);
  }

  private static MetricsForSlice.MetricKeyAndValue find(MetricsForSlice metrics, String name) {
    return metrics.getMetricKeysAndValuesList().stream()
        .filter(kv -> kv.getKey().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void check(MetricsForSlice metrics, String name, double[] expected) {
    MetricsForSlice.MetricKeyAndValue kv = find(metrics, name);
    assertTrue(name, kv.hasConfidenceInterval());
    assertEquals(
        name,
        expected[0],
        kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue(),
        1e-12);
    assertEquals(
        name,
        expected[1],
        kv.getConfidenceInterval().getUpperBound().getDoubleValue().getValue(),
        1e-12);
    assertEquals(
        name,
        expected[2],
        kv.getConfidenceInterval().getStandardError().getDoubleValue().getValue(),
        1e-12);
    assertEquals(19, kv.getConfidenceInterval().getDegreesOfFreedom().getValue());
  }

  @Test
  public void aSliceInOneSampleGetsTfmasMessageInsteadOfIntervals() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      writer.write(example("y", ints(1), "p", floats(0.7f)).toByteArray());
    }
    ModelAccumulators overall;
    try (RecordEvaluator evaluator = new RecordEvaluator(PLAN, RecordFormat.TFRECORD, null, null)) {
      evaluator.evaluate(new ByteArrayInputStream(bytes.toByteArray()), "one.tfrecord");
      overall = evaluator.drain().slices().get(SliceKey.OVERALL);
    }
    MetricsForSlice metrics =
        new SliceMetricsComputer(PLAN).compute(SliceKey.OVERALL, overall).metrics();
    assertEquals(
        "CI not computed because only 19 samples were non-empty. Expected 20.",
        find(metrics, "__ERROR__").getValue().getBytesValue().getValue().toStringUtf8());
    assertTrue(
        metrics.getMetricKeysAndValuesList().stream().noneMatch(kv -> kv.hasConfidenceInterval()));
  }

  /** Bootstrap bounds by hand: replicate ratios of Poisson-weighted sums, their mean and std. */
  private static double[] bootstrapByHand(double[] numerators, double[] denominators) {
    int n = numerators.length;
    double[] values = new double[n];
    double mean = 0;
    for (int r = 0; r < n; r++) {
      values[r] = numerators[r] / denominators[r];
      mean += values[r];
    }
    mean /= n;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double error = Math.sqrt(squares / (n - 1));
    return new double[] {mean - T_975_19 * error, mean + T_975_19 * error, error};
  }

  @Test
  public void bootstrapIntervalsEqualAHandComputationFromPoissonWeightedSums() throws Exception {
    Sample sample =
        sample(
            12, BOOTSTRAP_PLAN.resampling(), (hash, r) -> SampleAssignment.poissonWeight(hash, r));
    double[] labels = sample.labels();
    double[] counts = sample.counts();
    double[] falsePositives = sample.falsePositives();
    double[] negatives = sample.negatives();
    double labelSum = sample.labelSum();
    int records = RECORDS;
    ModelAccumulators overall;
    try (RecordEvaluator evaluator =
        new RecordEvaluator(BOOTSTRAP_PLAN, RecordFormat.TFRECORD, null, null)) {
      evaluator.evaluate(new ByteArrayInputStream(sample.bytes()), "/elsewhere/part-0.tfrecord");
      overall = evaluator.drain().slices().get(SliceKey.OVERALL);
    }
    assertEquals(records, overall.exampleCount());
    MetricsForSlice metrics =
        new SliceMetricsComputer(BOOTSTRAP_PLAN).compute(SliceKey.OVERALL, overall).metrics();
    // The value stays the point estimate over every record counted once.
    assertEquals(
        labelSum / records, find(metrics, "mean_label").getValue().getDoubleValue().getValue(), 0);
    check(metrics, "mean_label", bootstrapByHand(labels, counts));
    check(
        metrics,
        "fairness_indicators_metrics/false_positive_rate@0.5",
        bootstrapByHand(falsePositives, negatives));
    assertFalse(find(metrics, "example_count").hasConfidenceInterval());
  }

  @Test
  public void aBootstrapSliceWithEmptyReplicatesGetsTfmasMessage() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      writer.write(example("y", ints(1), "p", floats(0.7f)).toByteArray());
    }
    ModelAccumulators overall;
    try (RecordEvaluator evaluator =
        new RecordEvaluator(BOOTSTRAP_PLAN, RecordFormat.TFRECORD, null, null)) {
      evaluator.evaluate(new ByteArrayInputStream(bytes.toByteArray()), "one.tfrecord");
      overall = evaluator.drain().slices().get(SliceKey.OVERALL);
    }
    long hash =
        new SampleAssignment(0, BOOTSTRAP_PLAN.resampling())
            .recordHash(SampleAssignment.sourceHash("one.tfrecord"), 0);
    int nonEmpty = 0;
    for (int r = 0; r < 20; r++) {
      nonEmpty += SampleAssignment.poissonWeight(hash, r) > 0 ? 1 : 0;
    }
    assertTrue(nonEmpty < 20);
    MetricsForSlice metrics =
        new SliceMetricsComputer(BOOTSTRAP_PLAN).compute(SliceKey.OVERALL, overall).metrics();
    assertEquals(
        "CI not computed because only " + nonEmpty + " samples were non-empty. Expected 20.",
        find(metrics, "__ERROR__").getValue().getBytesValue().getValue().toStringUtf8());
  }

  /** Mann-Whitney AUC (ties count half) of labels and bucket indices. */
  private static double mannWhitney(List<int[]> examples) {
    double pairs = 0;
    double wins = 0;
    for (int[] positive : examples) {
      if (positive[0] != 1) {
        continue;
      }
      for (int[] negative : examples) {
        if (negative[0] != 0) {
          continue;
        }
        pairs++;
        wins += positive[1] > negative[1] ? 1 : positive[1] == negative[1] ? 0.5 : 0;
      }
    }
    return wins / pairs;
  }

  /**
   * AUC's jackknife interval comes from replicates whose histograms have 100 buckets: its standard
   * error is the jackknife's over the Mann-Whitney AUCs of the left-out buckets' scores grouped in
   * 100 buckets, and the interval is moved by the reported (full-resolution) AUC minus the
   * 100-bucket AUC of all examples.
   */
  @Test
  public void aucIntervalsComeFromCoarserReplicatesAndAreCentredOnTheFullValue() throws Exception {
    EvalPlan plan =
        EvalPlan.create(
            EvalConfigLoader.parse(
                    "model_specs { label_key: 'y' prediction_key: 'p' }\n"
                        + "metrics_specs { metrics { class_name: 'AUC' } }\n"
                        + "options { compute_confidence_intervals { value: true } }\n",
                    "auc.pbtxt")
                .config(),
            ConfigLocations.none(),
            BadRecordPolicy.FAIL);
    Random random = new Random(5);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SampleAssignment assignment = new SampleAssignment(0, 20);
    long source = SampleAssignment.sourceHash("auc.tfrecord");
    long offset = 0;
    List<int[]> all = new ArrayList<>();
    List<List<int[]>> byBucket = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      byBucket.add(new ArrayList<>());
    }
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      for (int i = 0; i < 600; i++) {
        int label = random.nextInt(2);
        float score =
            (float) Math.min(0.999, Math.max(0, 0.35 + 0.3 * label + 0.2 * random.nextGaussian()));
        byte[] record = example("y", ints(label), "p", floats(score)).toByteArray();
        writer.write(record);
        int fine = (int) (score * 10000.0 + 1);
        int[] coarse = {label, (fine - 1) / 100 + 1};
        all.add(coarse);
        byBucket.get(assignment.bucket(assignment.recordHash(source, offset))).add(coarse);
        offset += 16 + record.length;
      }
    }
    ModelAccumulators overall;
    try (RecordEvaluator evaluator = new RecordEvaluator(plan, RecordFormat.TFRECORD, null, null)) {
      evaluator.evaluate(new ByteArrayInputStream(bytes.toByteArray()), "auc.tfrecord");
      overall = evaluator.drain().slices().get(SliceKey.OVERALL);
    }
    MetricsForSlice metrics =
        new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, overall).metrics();
    MetricsForSlice.MetricKeyAndValue auc = find(metrics, "auc");
    double coarsePoint = mannWhitney(all);
    double[] leftOut = new double[20];
    for (int b = 0; b < 20; b++) {
      List<int[]> rest = new ArrayList<>();
      for (int c = 0; c < 20; c++) {
        if (c != b) {
          rest.addAll(byBucket.get(c));
        }
      }
      leftOut[b] = mannWhitney(rest);
    }
    double[] expected = IntervalsByHand.jackknife(coarsePoint, leftOut);
    double shift = auc.getValue().getDoubleValue().getValue() - coarsePoint;
    assertTrue("the full-resolution AUC differs from the coarse one", shift != 0);
    check(metrics, "auc", new double[] {expected[0] + shift, expected[1] + shift, expected[2]});
  }
}
