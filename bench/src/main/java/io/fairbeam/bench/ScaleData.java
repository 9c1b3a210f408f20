package io.fairbeam.bench;

import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The data of the cluster scale benchmark ({@code scripts/bench-flink}): N deterministic synthetic
 * examples in TFRecord shards, each shard from its own seeded generator, so the same N and shard
 * count always give the same bytes. Six slicing specs over its features give 105 slices. While
 * generating it counts the Overall confusion matrix at the nine thresholds by a plain loop; {@code
 * check} compares the evaluated result with those counts.
 *
 * <pre>
 * ScaleData generate N DIR SHARDS   # writes DIR/part-NNNNN, DIR/config.pbtxt, DIR/_EXPECTED
 * ScaleData check DIR OUTPUT        # checks OUTPUT (a Fairbeam result) against DIR/_EXPECTED
 * </pre>
 */
public final class ScaleData {
  static final double[] THRESHOLDS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  static final int AGE_GROUPS = 6;
  static final int REGIONS = 12;
  static final String[] DEVICES = {"phone", "tablet", "desktop", "tv", "watch", "car"};

  /** Overall + sex + age_group + region + sex×age_group + region×device. */
  static final int SLICES =
      1 + 2 + AGE_GROUPS + REGIONS + 2 * AGE_GROUPS + REGIONS * DEVICES.length;

  static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'score' }",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'FairnessIndicators'",
          "            config: '{\"thresholds\": [0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]}' }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['sex'] }",
          "slicing_specs { feature_keys: ['age_group'] }",
          "slicing_specs { feature_keys: ['region'] }",
          "slicing_specs { feature_keys: ['sex', 'age_group'] }",
          "slicing_specs { feature_keys: ['region', 'device'] }",
          "");

  private ScaleData() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("generate")) {
      generate(Long.parseLong(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
    } else if (args.length == 3 && args[0].equals("check")) {
      check(Path.of(args[1]), Path.of(args[2]));
    } else {
      System.err.println("usage: ScaleData generate N DIR SHARDS | check DIR OUTPUT");
      System.exit(2);
    }
  }

  /** Writes the shards (in parallel, one generator per shard) unless DIR already holds them. */
  static void generate(long n, Path dir, int shards) throws Exception {
    Path expected = dir.resolve("_EXPECTED");
    if (ShardedData.alreadyWritten(dir, expected)) {
      return;
    }
    Files.createDirectories(dir);
    long started = System.nanoTime();
    long[] total = new long[4 * THRESHOLDS.length];
    for (long[] counts :
        ShardedData.write(n, shards, (shard, count) -> writeShard(dir, shard, shards, count))) {
      for (int i = 0; i < total.length; i++) {
        total[i] += counts[i];
      }
    }
    Files.writeString(dir.resolve("config.pbtxt"), CONFIG);
    StringBuilder text = new StringBuilder("examples " + n + "\n");
    for (int t = 0; t < THRESHOLDS.length; t++) {
      text.append(
          String.format(
              Locale.ROOT,
              "%s tp %d fp %d tn %d fn %d%n",
              THRESHOLDS[t],
              total[4 * t],
              total[4 * t + 1],
              total[4 * t + 2],
              total[4 * t + 3]));
    }
    Files.writeString(expected, text.toString());
    System.out.printf(
        Locale.ROOT,
        "data: %,d examples in %d shards under %s (%.1f s)%n",
        n,
        shards,
        dir,
        (System.nanoTime() - started) / 1e9);
  }

  /** One shard; returns its Overall (tp, fp, tn, fn) per threshold. */
  private static long[] writeShard(Path dir, int shard, int shards, long count) throws IOException {
    long[] counts = new long[4 * THRESHOLDS.length];
    SplittableRandom random = new SplittableRandom(0x5eed_0000L + shard);
    String name = String.format(Locale.ROOT, "part-%05d-of-%05d", shard, shards);
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve(name)), 1 << 16)) {
      TFRecordWriter writer = new TFRecordWriter(out);
      for (long i = 0; i < count; i++) {
        int sex = random.nextInt(2);
        int ageGroup = random.nextInt(AGE_GROUPS);
        int region = random.nextInt(REGIONS);
        int device = random.nextInt(DEVICES.length);
        double logit = -0.4 + 0.6 * sex - 0.15 * ageGroup + 0.05 * region + gaussian(random);
        int label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        float score = (float) (1 / (1 + Math.exp(-(logit + 0.8 * gaussian(random)))));
        Features features =
            Features.newBuilder()
                .putFeature("label", PipelineBenchmark.int64(label))
                .putFeature("score", PipelineBenchmark.float32(score))
                .putFeature("sex", PipelineBenchmark.bytes(sex == 0 ? "female" : "male"))
                .putFeature("age_group", PipelineBenchmark.int64(ageGroup))
                .putFeature(
                    "region", PipelineBenchmark.bytes(String.format(Locale.ROOT, "r%02d", region)))
                .putFeature("device", PipelineBenchmark.bytes(DEVICES[device]))
                .build();
        writer.write(Example.newBuilder().setFeatures(features).build().toByteArray());
        for (int t = 0; t < THRESHOLDS.length; t++) {
          boolean positive = score > THRESHOLDS[t];
          counts[4 * t + (positive ? (label == 1 ? 0 : 1) : (label == 1 ? 3 : 2))]++;
        }
      }
    }
    return counts;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** Compares the result's Overall counts and rates, and its slice count, with _EXPECTED. */
  static void check(Path dir, Path output) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("_EXPECTED"));
    long examples = Long.parseLong(lines.get(0).split(" ")[1]);
    RunSummary summary = EvalResultReader.runSummary(output);
    require(
        summary.getExamplesEvaluated() == examples,
        "examples evaluated " + summary.getExamplesEvaluated() + ", generated " + examples);
    List<MetricsForSlice> metrics = EvalResultReader.metrics(output);
    require(metrics.size() == SLICES, metrics.size() + " slices, expected " + SLICES);
    Map<String, Double> overall = new HashMap<>();
    for (MetricsForSlice slice : metrics) {
      if (slice.getSliceKey().getSingleSliceKeysCount() == 0) {
        slice
            .getMetricKeysAndValuesList()
            .forEach(
                kv ->
                    overall.put(kv.getKey().getName(), kv.getValue().getDoubleValue().getValue()));
      }
    }
    require(
        overall.get("example_count") == examples,
        "Overall example_count " + overall.get("example_count"));
    int checked = 1;
    for (int t = 0; t < THRESHOLDS.length; t++) {
      String[] f = lines.get(t + 1).split(" ");
      double tp = Double.parseDouble(f[2]);
      double fp = Double.parseDouble(f[4]);
      double tn = Double.parseDouble(f[6]);
      double fn = Double.parseDouble(f[8]);
      String at = "@" + f[0];
      checked += expect(overall, "false_positive_rate" + at, fp / (fp + tn));
      checked += expect(overall, "true_positive_rate" + at, tp / (tp + fn));
      checked += expect(overall, "false_negative_rate" + at, fn / (fn + tp));
      checked += expect(overall, "true_negative_rate" + at, tn / (tn + fp));
      checked += expect(overall, "positive_rate" + at, (tp + fp) / (tp + fp + tn + fn));
      checked += expect(overall, "precision" + at, tp / (tp + fp));
    }
    System.out.printf(
        Locale.ROOT,
        "check: %d slices, %,d examples, %d Overall values equal" + " the generator's own counts%n",
        metrics.size(),
        examples,
        checked);
  }

  private static int expect(Map<String, Double> values, String name, double want) {
    Double got = values.get("fairness_indicators_metrics/" + name);
    require(got != null, "Overall lacks fairness_indicators_metrics/" + name);
    require(Math.abs(got - want) <= 1e-12, name + ": " + got + ", expected " + want);
    return 1;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException("check failed: " + message);
    }
  }
}
