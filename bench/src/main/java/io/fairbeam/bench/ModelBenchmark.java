package io.fairbeam.bench;

import io.fairbeam.beam.FairnessEval;
import io.fairbeam.beam.ReadAndEvaluate;
import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureSet;
import io.fairbeam.extract.FeatureValues;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.extract.TfExampleScanner;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tf.FloatList;
import io.fairbeam.proto.tf.Int64List;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

/**
 * The model benchmark behind {@code scripts/bench-model}: generates N synthetic 28x28x3 images as
 * TFRecord shards and, for each inference batch size, times (a) a plain single-threaded TensorFlow
 * Java loop that decodes the images and runs the CNN on batches of that size (the limit), and (b)
 * the Fairbeam pipeline on the Direct Runner running the same model on the same records (Fairness
 * Indicators at 3 thresholds, AUC, mean prediction, sliced by the group), twice (the second run
 * without Beam's start-up). It checks that both saw the same scores (sum of predictions) and prints
 * examples/s and the ratio.
 */
public final class ModelBenchmark {
  private static final int PIXELS = 28 * 28 * 3;

  private ModelBenchmark() {}

  private static String config(int batchSize) {
    return "model_specs { label_key: 'Smiling' prediction_key: 'smiling' inference_batch_size: "
        + batchSize
        + " }\n"
        + "metrics_specs {\n"
        + "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.25, 0.5,"
        + " 0.75]}' }\n"
        + "  metrics { class_name: 'AUC' }\n  metrics { class_name: 'MeanPrediction' }\n"
        + "  metrics { class_name: 'ExampleCount' }\n}\n"
        + "slicing_specs {}\nslicing_specs { feature_keys: 'Young' }\n";
  }

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    Path dir = Path.of(args[1]);
    String model = args[2];
    int[] batchSizes =
        java.util.Arrays.stream(
                System.getProperty("fairbeam.bench.batchSizes", "1,64,1024").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    List<Path> files = generate(n, dir.resolve("images-" + n), 8);
    String pattern = dir.resolve("images-" + n) + "/part-*.tfrecord";
    System.out.printf(
        Locale.ROOT,
        "%,d images of 28x28x3 in %d shards; model %s; %d cores%n",
        n,
        files.size(),
        model,
        Runtime.getRuntime().availableProcessors());
    double bestLoop = 0;
    double bestPipeline = 0;
    for (int batchSize : batchSizes) {
      double[] loopSum = new double[1];
      double loopSeconds = loop(model, files, batchSize, loopSum);
      EvalConfig.Builder config = EvalConfig.newBuilder();
      com.google.protobuf.TextFormat.merge(config(batchSize), config);
      ReadAndEvaluate evaluate =
          FairnessEval.readAndEvaluate(config.build()).from(pattern).withModel(model);
      Path out = dir.resolve("out-model-" + batchSize);
      // Twice: the first pipeline of a batch size pays Beam's start-up and the JIT warming up
      // the new code path; the second shows the steady pipeline.
      double firstSeconds = PipelineBenchmark.runPipeline(evaluate, true, out);
      double pipelineSeconds = PipelineBenchmark.runPipeline(evaluate, true, out);
      double pipelineSum = predictionSum(out);
      double loopRate = n / loopSeconds;
      double pipelineRate = n / pipelineSeconds;
      bestLoop = Math.max(bestLoop, loopRate);
      bestPipeline = Math.max(bestPipeline, pipelineRate);
      System.out.printf(
          Locale.ROOT,
          "batch %5d: (a) TF Java loop %,9.0f examples/s (%.2f s);"
              + " (b) pipeline %,9.0f examples/s (%.2f s; first run %,.0f/s, %.2f s);"
              + " (b)/(a) = %.2f (first run %.2f); prediction sums %.6f / %.6f%n",
          batchSize,
          loopRate,
          loopSeconds,
          pipelineRate,
          pipelineSeconds,
          n / firstSeconds,
          firstSeconds,
          pipelineRate / loopRate,
          (n / firstSeconds) / loopRate,
          loopSum[0],
          pipelineSum);
      if (Math.abs(loopSum[0] - pipelineSum) > 1e-6 * Math.max(1.0, Math.abs(loopSum[0]))) {
        throw new IllegalStateException("the loop and the pipeline disagree on the predictions");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "best: pipeline %,.0f examples/s against loop %,.0f: %.2f" + " (target >= 0.8: %s)%n",
        bestPipeline,
        bestLoop,
        bestPipeline / bestLoop,
        bestPipeline >= 0.8 * bestLoop ? "met" : "NOT met");
  }

  /** Overall mean_prediction times example_count, from the written metrics. */
  private static double predictionSum(Path out) throws IOException {
    for (MetricsForSlice slice : EvalResultReader.metrics(out)) {
      if (slice.getSliceKey().getSingleSliceKeysCount() > 0) {
        continue;
      }
      double mean = Double.NaN;
      double count = Double.NaN;
      for (MetricsForSlice.MetricKeyAndValue kv : slice.getMetricKeysAndValuesList()) {
        if (kv.getKey().getName().equals("mean_prediction")) {
          mean = kv.getValue().getDoubleValue().getValue();
        } else if (kv.getKey().getName().equals("example_count")) {
          count = kv.getValue().getDoubleValue().getValue();
        }
      }
      return mean * count;
    }
    throw new IllegalStateException("no Overall slice in " + out);
  }

  /**
   * The limit: one thread decodes each image (wire scan of the one feature) and runs the model on
   * batches of {@code batchSize}; returns seconds, the sum of predictions in {@code sum[0]}.
   */
  static double loop(String model, List<Path> files, int batchSize, double[] sum)
      throws IOException, io.fairbeam.extract.MalformedRecordException {
    FeatureSet features = FeatureSet.of(List.of("image"));
    TfExampleScanner scanner = new TfExampleScanner(features);
    ExampleFeatures example = features.newExample();
    float[] batch = new float[batchSize * PIXELS];
    float[] scores = new float[batchSize];
    try (SavedModelBundle bundle = SavedModelBundle.load(model, "serve")) {
      SignatureDef signature = bundle.metaGraphDef().getSignatureDefMap().get("serving_default");
      String input = signature.getInputsMap().get("image").getName();
      String output = signature.getOutputsMap().get("smiling").getName();
      Session session = bundle.session();
      long t0 = System.nanoTime();
      int filled = 0;
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file);
            TFRecordReader reader = TFRecordReader.open(in, file.toString())) {
          int length;
          while ((length = reader.next()) >= 0) {
            scanner.scan(reader.buffer(), length, example);
            FeatureValues image = example.slot(0);
            for (int i = 0; i < PIXELS; i++) {
              batch[filled * PIXELS + i] = image.floatAt(i);
            }
            if (++filled == batchSize) {
              sum[0] += run(session, input, output, batch, filled, scores);
              filled = 0;
            }
          }
        }
      }
      if (filled > 0) {
        sum[0] += run(session, input, output, batch, filled, scores);
      }
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private static double run(
      Session session, String input, String output, float[] batch, int n, float[] scores) {
    try (TFloat32 images =
            TFloat32.tensorOf(
                Shape.of(n, 28, 28, 3),
                DataBuffers.of(batch, true, false).narrow((long) n * PIXELS));
        Result result = session.runner().feed(input, images).fetch(output).run()) {
      result.get(0).asRawTensor().data().asFloats().read(scores, 0, n);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += scores[i];
    }
    return sum;
  }

  /** Writes n synthetic faces over shards, unless a complete copy is already there. */
  static List<Path> generate(long n, Path dir, int shards) throws IOException {
    Path done = dir.resolve("_COMPLETE");
    List<Path> files = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      files.add(dir.resolve(String.format(Locale.ROOT, "part-%05d.tfrecord", s)));
    }
    if (Files.exists(done)) {
      return files;
    }
    PipelineBenchmark.deleteRecursively(dir);
    Files.createDirectories(dir);
    Random random = new Random(42);
    for (int s = 0; s < shards; s++) {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(files.get(s)));
          TFRecordWriter writer = new TFRecordWriter(out)) {
        for (long i = s; i < n; i += shards) {
          boolean smiling = random.nextBoolean();
          boolean young = random.nextDouble() < 0.7;
          FloatList.Builder image = FloatList.newBuilder();
          for (int p = 0; p < PIXELS; p++) {
            int row = p / (28 * 3);
            double v = random.nextDouble() * 0.6;
            if (smiling && row >= 18 && row <= 20) {
              v += young ? 0.35 : 0.12;
            }
            image.addValue((float) (Math.round(Math.min(1.0, v) * 255.0) / 255.0));
          }
          Example example =
              Example.newBuilder()
                  .setFeatures(
                      Features.newBuilder()
                          .putFeature("image", Feature.newBuilder().setFloatList(image).build())
                          .putFeature(
                              "Smiling",
                              Feature.newBuilder()
                                  .setInt64List(Int64List.newBuilder().addValue(smiling ? 1 : 0))
                                  .build())
                          .putFeature(
                              "Young",
                              Feature.newBuilder()
                                  .setInt64List(Int64List.newBuilder().addValue(young ? 1 : 0))
                                  .build()))
                  .build();
          writer.write(example.toByteArray());
        }
      }
    }
    Files.createFile(done);
    return files;
  }
}
