package io.fairbeam.bench;

import io.fairbeam.beam.FairnessEval;
import io.fairbeam.beam.ReadAndEvaluate;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tf.FloatList;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Whole-job benchmark of a multi-class model (issue 26's case): N synthetic examples of a ten-class
 * model (a class id and ten softmax scores, sex and race), evaluated with {@code binarize} over
 * every class (Fairness Indicators at three thresholds and AUC per class) and the multi-class
 * confusion matrix, sliced Overall, by sex and by race. Runs the pipeline twice in one JVM (first
 * and second run) and prints examples/s; {@code scripts/bench} gives the binary rate on the same
 * machine, {@code scripts/bench-vs-tfma} TFMA's on the same files and config (written beside the
 * data as {@code multiclass.pbtxt}). Not a test: figures vary.
 */
public final class MultiClassBenchmark {
  static final int CLASSES = 10;

  static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'scores' }",
          "metrics_specs {",
          "  binarize { class_ids { values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } }",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'AUC' }",
          "  metrics { class_name: 'FairnessIndicators'",
          "            config: '{\"thresholds\": [0.1, 0.3, 0.5]}' }",
          "}",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'MultiClassConfusionMatrixPlot' }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['sex'] }",
          "slicing_specs { feature_keys: ['race'] }",
          "");

  private static final String[] RACES = {"White", "Black", "Asian", "Amer-Indian", "Other"};

  private MultiClassBenchmark() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    Path dir = Path.of(args[1]);
    int shards = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    Path data = dir.resolve("multiclass-" + n + "-" + shards);
    List<Path> files = generate(n, data, shards);
    Files.writeString(dir.resolve("multiclass.pbtxt"), CONFIG);
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    System.out.printf(
        Locale.ROOT,
        "data: %,d examples of %d classes, %d shards, %,.1f MB (%s/part-*)%n",
        n,
        CLASSES,
        files.size(),
        bytes / 1e6,
        data);
    EvalConfigLoader.Loaded loaded = EvalConfigLoader.parse(CONFIG, "multiclass");
    ReadAndEvaluate evaluate =
        FairnessEval.readAndEvaluate(loaded).from(data.resolve("part-*").toString());
    Path out = dir.resolve("multiclass-result-" + n);
    double first = PipelineBenchmark.runPipeline(evaluate, false, out);
    long peakHeap = PipelineBenchmark.peakHeapSinceReset();
    double second = PipelineBenchmark.runPipeline(evaluate, false, out);
    System.out.printf(
        Locale.ROOT,
        "multi-class pipeline, Direct Runner (%d cores), first run:  %,12.0f examples/s"
            + "  (%.2f s)%n",
        Runtime.getRuntime().availableProcessors(),
        n / first,
        first);
    System.out.printf(
        Locale.ROOT,
        "multi-class pipeline, Direct Runner (%d cores), second run: %,12.0f examples/s"
            + "  (%.2f s)%n",
        Runtime.getRuntime().availableProcessors(),
        n / second,
        second);
    System.out.printf(Locale.ROOT, "peak heap during the first run: %,.0f MB%n", peakHeap / 1e6);
  }

  /** Writes N examples over shards (in parallel), unless a complete copy is already there. */
  static List<Path> generate(long n, Path dir, int shards) throws Exception {
    Path done = dir.resolve("_COMPLETE");
    if (!ShardedData.alreadyWritten(dir, done)) {
      PipelineBenchmark.deleteRecursively(dir);
      Files.createDirectories(dir);
      ShardedData.write(
          n,
          shards,
          (shard, count) -> {
            writeShard(dir, shard, count);
            return shard;
          });
      Files.writeString(done, Long.toString(n));
    }
    try (var stream = Files.list(dir)) {
      return stream.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
  }

  /** One shard: a class id drawn with a tilt by sex and race, ten softmax scores favouring it. */
  private static void writeShard(Path dir, int shard, long count) throws IOException {
    SplittableRandom random = new SplittableRandom(0x26_0000L + shard);
    Path file = dir.resolve(String.format(Locale.ROOT, "part-%05d", shard));
    double[] logits = new double[CLASSES];
    try (TFRecordWriter writer =
        new TFRecordWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      for (long i = 0; i < count; i++) {
        int sex = random.nextInt(2);
        int race = random.nextInt(RACES.length);
        int label = (random.nextInt(CLASSES) + sex * race) % CLASSES;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
          logits[c] = gaussian(random) + (c == label ? 1.5 + 0.3 * sex : 0);
          max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
          logits[c] = Math.exp(logits[c] - max);
          sum += logits[c];
        }
        FloatList.Builder scores = FloatList.newBuilder();
        for (int c = 0; c < CLASSES; c++) {
          scores.addValue((float) (logits[c] / sum));
        }
        Features features =
            Features.newBuilder()
                .putFeature("label", PipelineBenchmark.int64(label))
                .putFeature("scores", Feature.newBuilder().setFloatList(scores).build())
                .putFeature("sex", PipelineBenchmark.bytes(sex == 0 ? "female" : "male"))
                .putFeature("race", PipelineBenchmark.bytes(RACES[race]))
                .build();
        writer.write(Example.newBuilder().setFeatures(features).build().toByteArray());
      }
    }
  }

  /** A standard normal draw (Box–Muller). */
  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
