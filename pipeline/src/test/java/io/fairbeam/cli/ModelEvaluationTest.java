package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.TextFormat;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.config.ConfigLocations;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.ModelPlan;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.extract.TfExampleScanner;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.predict.BatchScorer;
import io.fairbeam.predict.Inference;
import io.fairbeam.predict.SavedModels;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.FloatList;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Evaluating real SavedModels (exported by scripts/export-test-models with Python TensorFlow 2.18,
 * committed with the predictions Python computed): TensorFlow Java's predictions equal Python's,
 * the model path gives the same metrics as the model-agnostic path on those predictions, candidate
 * and baseline get TFMA's diff keys, and bad models and records fail with messages that name what
 * is wrong.
 */
public class ModelEvaluationTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static Path models() {
    return SharedData.projectRoot().resolve("models");
  }

  private static String model(String name) {
    return models().resolve(name).toString();
  }

  private static List<byte[]> records(Path file) throws Exception {
    List<byte[]> records = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        TFRecordReader reader = TFRecordReader.open(in, file.toString())) {
      int length;
      while ((length = reader.next()) >= 0) {
        records.add(reader.copy(length));
      }
    }
    return records;
  }

  private static double[] expected(String name, String field) throws Exception {
    Struct.Builder json = Struct.newBuilder();
    JsonFormat.parser()
        .merge(Files.readString(models().resolve("expected").resolve(name + ".json")), json);
    ListValue values = json.getFieldsOrThrow(field).getListValue();
    double[] result = new double[values.getValuesCount()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.getValues(i).getNumberValue();
    }
    return result;
  }

  /** A list of lists in an expected-predictions file, flattened row by row. */
  private static double[] expectedRows(String name, String field) throws Exception {
    Struct.Builder json = Struct.newBuilder();
    JsonFormat.parser()
        .merge(Files.readString(models().resolve("expected").resolve(name + ".json")), json);
    List<Double> values = new ArrayList<>();
    for (Value row : json.getFieldsOrThrow(field).getListValue().getValuesList()) {
      row.getListValue().getValuesList().forEach(v -> values.add(v.getNumberValue()));
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private EvalPlan plan(String config, Map<String, String> modelPaths) throws Exception {
    EvalConfig.Builder builder = EvalConfig.newBuilder();
    com.google.protobuf.TextFormat.merge(config, builder);
    return EvalPlan.create(
        builder.build(), ConfigLocations.none(), BadRecordPolicy.FAIL, modelPaths);
  }

  /**
   * Runs the plan's first model over every record of {@code fixture} in batches of its
   * inference_batch_size (a CNN's float results can depend on the batch size in the last bits).
   */
  private static double[] javaPredictions(EvalPlan plan, Path fixture) throws Exception {
    return javaScores(plan, fixture).get(0);
  }

  /**
   * Runs every model of the plan over every record of {@code fixture} as the pipeline does (one
   * {@link BatchScorer}, a multi-output model's outputs read from one run): per model, its scores
   * of each example in turn (one, or one per class).
   */
  private static List<double[]> javaScores(EvalPlan plan, Path fixture) throws Exception {
    List<byte[]> records = records(fixture);
    TfExampleScanner scanner = new TfExampleScanner(plan.features());
    List<Inference> inferences = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<double[]> result = new ArrayList<>();
    for (ModelPlan model : plan.models()) {
      inferences.add(model.inference());
      names.add(model.describe());
      result.add(new double[records.size() * model.inference().scoresPerExample()]);
    }
    try (BatchScorer scorer = new BatchScorer(inferences, names, plan.features())) {
      int done = 0;
      for (int i = 0; i < records.size(); i++) {
        byte[] record = records.get(i);
        scanner.scan(record, record.length, scorer.next());
        assertEquals(null, scorer.add(fixture.toString(), i, -1, -1, record, record.length));
        if (scorer.isFull() || i == records.size() - 1) {
          scorer.score();
          for (int m = 0; m < inferences.size(); m++) {
            int per = inferences.get(m).scoresPerExample();
            System.arraycopy(scorer.scores()[m], 0, result.get(m), done * per, scorer.size() * per);
          }
          done += scorer.size();
          scorer.clear();
        }
      }
    }
    return result;
  }

  private static void assertClose(double[] expected, double[] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals("example " + i, expected[i], actual[i], tolerance);
    }
  }

  @Test
  public void kerasNamedInputsPredictAsPython() throws Exception {
    EvalPlan plan =
        plan(
            "model_specs { label_key: 'survived' }"
                + " metrics_specs { metrics { class_name: 'ExampleCount' } }",
            Map.of("", model("titanic_keras")));
    assertClose(
        expected("titanic_keras", "predictions"),
        javaPredictions(plan, models().resolve("fixtures/titanic.tfrecord")),
        1e-5);
  }

  @Test
  public void serializedExampleSignaturePredictsAsPythonAndPicksTheOutput() throws Exception {
    for (String output : List.of("survival_probability", "logit")) {
      EvalPlan plan =
          plan(
              "model_specs { label_key: 'survived' prediction_key: '"
                  + output
                  + "' } metrics_specs { metrics { class_name: 'ExampleCount' } }",
              Map.of("", model("titanic_examples")));
      assertTrue(plan.needsSerializedExamples());
      assertClose(
          expected("titanic_examples", output.equals("logit") ? "logit" : "predictions"),
          javaPredictions(plan, models().resolve("fixtures/titanic.tfrecord")),
          1e-4);
    }
  }

  @Test
  public void imageCnnPredictsAsPython() throws Exception {
    for (String name : List.of("cnn_plain", "cnn_reweighted")) {
      EvalPlan plan =
          plan(
              "model_specs { label_key: 'Smiling' inference_batch_size: 7 }"
                  + " metrics_specs { metrics { class_name: 'ExampleCount' } }",
              Map.of("", model(name)));
      assertClose(
          expected(name, "predictions"),
          javaPredictions(plan, models().resolve("fixtures/celeba.tfrecord.gz")),
          1e-5);
    }
  }

  @Test
  public void aModelIsLoadedOncePerJvmAndClosedByItsLastUser() throws Exception {
    int before = SavedModels.loadedCount();
    try (SavedModels.Lease first = SavedModels.acquire(model("cnn_plain"));
        SavedModels.Lease second =
            SavedModels.acquire(models().resolve("../models/cnn_plain").toString())) {
      assertSame(first.bundle(), second.bundle());
      assertEquals(before + 1, SavedModels.loadedCount());
    }
    assertEquals(before, SavedModels.loadedCount());
  }

  private static String run(int expectedCode, String... args) throws Exception {
    PrintStream original = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(out.toString(StandardCharsets.UTF_8), expectedCode, Fairbeam.run(args));
    } finally {
      System.setOut(original);
      System.setErr(originalErr);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, MetricValue> metricsOf(Path result) throws Exception {
    Map<String, MetricValue> values = new HashMap<>();
    for (MetricsForSlice slice : EvalResultReader.metrics(result)) {
      String sliceName = SliceKey.fromProto(slice.getSliceKey()).toString();
      for (MetricsForSlice.MetricKeyAndValue kv : slice.getMetricKeysAndValuesList()) {
        MetricKey key = kv.getKey();
        values.put(
            sliceName
                + " | "
                + key.getModelName()
                + " | "
                + key.getIsDiff()
                + " | "
                + key.getName()
                + (key.getOutputName().isEmpty() ? "" : " | output " + key.getOutputName())
                + (key.hasSubKey() ? " | " + TextFormat.shortDebugString(key.getSubKey()) : "")
                + (key.hasAggregationType()
                    ? " | " + TextFormat.shortDebugString(key.getAggregationType())
                    : ""),
            kv.getValue());
      }
    }
    return values;
  }

  private static final String CELEBA_METRICS =
      "metrics_specs {\n"
          + "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.22, 0.5]}' }\n"
          + "  metrics { class_name: 'ExampleCount' }\n  metrics { class_name: 'AUC' }\n"
          + "  metrics { class_name: 'ConfusionMatrixAtThresholds'"
          + " config: '{\"thresholds\": [0.3, 0.6]}' }\n"
          + "  metrics { class_name: 'MeanPrediction' }\n}\n"
          + "slicing_specs {}\nslicing_specs { feature_keys: 'Young' }\n";

  /**
   * Writes the fixture with each model's TensorFlow Java scores added as features, so the
   * model-agnostic path can evaluate the same scores.
   */
  private Path withScores(Path fixture, Map<String, double[]> scores) throws Exception {
    List<byte[]> records = records(fixture);
    Path out = temp.getRoot().toPath().resolve("scored.tfrecord");
    try (OutputStream file = Files.newOutputStream(out);
        TFRecordWriter writer = new TFRecordWriter(file)) {
      for (int i = 0; i < records.size(); i++) {
        Example.Builder example = Example.parseFrom(records.get(i)).toBuilder();
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
          // One score per example, or a list (class scores) of the same length for each.
          int per = e.getValue().length / records.size();
          FloatList.Builder list = FloatList.newBuilder();
          for (int j = 0; j < per; j++) {
            list.addValue((float) e.getValue()[i * per + j]);
          }
          example
              .getFeaturesBuilder()
              .putFeature(e.getKey(), Feature.newBuilder().setFloatList(list).build());
        }
        writer.write(example.build().toByteArray());
      }
    }
    return out;
  }

  @Test
  public void candidateAndBaselineMatchTheModelAgnosticPathOnTheirScores() throws Exception {
    Path fixture = models().resolve("fixtures/celeba.tfrecord.gz");
    String specs =
        "model_specs { name: 'candidate' label_key: 'Smiling' inference_batch_size: 50"
            + " %s }\nmodel_specs { name: 'baseline' label_key: 'Smiling' inference_batch_size: 50"
            + " is_baseline: true %s }\n";
    Path modelConfig = temp.getRoot().toPath().resolve("models.pbtxt");
    Files.writeString(modelConfig, String.format(specs, "", "") + CELEBA_METRICS);
    Path modelOut = temp.getRoot().toPath().resolve("model-out");
    String report =
        run(
            0,
            "evaluate",
            "--config",
            modelConfig.toString(),
            "--data",
            fixture.toString(),
            "--model",
            "candidate=" + model("cnn_reweighted"),
            "--model",
            "baseline=" + model("cnn_plain"),
            "--output",
            modelOut.toString());
    assertThat(
        report,
        allOf(
            containsString("Overall  candidate - baseline"),
            containsString("Young:0  baseline"),
            containsString("400 of 400 records read")));

    // The same scores, as features, through the model-agnostic path.
    Map<String, double[]> scores = new HashMap<>();
    for (String name : List.of("cnn_reweighted", "cnn_plain")) {
      scores.put(
          name,
          javaPredictions(
              plan(
                  "model_specs { label_key: 'Smiling'"
                      + " inference_batch_size: 50 }"
                      + " metrics_specs { metrics { class_name: 'ExampleCount' } }",
                  Map.of("", model(name))),
              fixture));
    }
    Path agnosticConfig = temp.getRoot().toPath().resolve("agnostic.pbtxt");
    Files.writeString(
        agnosticConfig,
        String.format(specs, "prediction_key: 'cnn_reweighted'", "prediction_key: 'cnn_plain'")
            + CELEBA_METRICS);
    Path agnosticOut = temp.getRoot().toPath().resolve("agnostic-out");
    run(
        0,
        "evaluate",
        "--config",
        agnosticConfig.toString(),
        "--data",
        withScores(fixture, scores).toString(),
        "--output",
        agnosticOut.toString());

    Map<String, MetricValue> fromModels = metricsOf(modelOut);
    Map<String, MetricValue> fromFeatures = metricsOf(agnosticOut);
    assertEquals(fromFeatures.keySet(), fromModels.keySet());
    assertEquals(fromFeatures, fromModels);

    // Keys: per model, and a diff for the candidate only, equal to candidate - baseline.
    int diffs = 0;
    for (Map.Entry<String, MetricValue> e : fromModels.entrySet()) {
      String[] parts = e.getKey().split(" \\| ");
      assertTrue(e.getKey(), parts[1].equals("candidate") || parts[1].equals("baseline"));
      if (parts[2].equals("true")) {
        diffs++;
        assertEquals("candidate", parts[1]);
        MetricValue candidate = fromModels.get(parts[0] + " | candidate | false | " + parts[3]);
        MetricValue baseline = fromModels.get(parts[0] + " | baseline | false | " + parts[3]);
        assertNotNull(candidate);
        if (e.getValue().hasDoubleValue()) {
          assertEquals(
              e.getKey(),
              candidate.getDoubleValue().getValue() - baseline.getDoubleValue().getValue(),
              e.getValue().getDoubleValue().getValue(),
              0.0);
        } else {
          var c = candidate.getConfusionMatrixAtThresholds().getMatrices(1);
          var b = baseline.getConfusionMatrixAtThresholds().getMatrices(1);
          var d = e.getValue().getConfusionMatrixAtThresholds().getMatrices(1);
          assertEquals(c.getTruePositives() - b.getTruePositives(), d.getTruePositives(), 0.0);
          assertEquals(c.getFalsePositives() - b.getFalsePositives(), d.getFalsePositives(), 0.0);
        }
      }
    }
    // 3 slices x (2 x 10 FI rates + example_count + auc + CMAT + mean_prediction)
    assertEquals(3 * 24, diffs);
  }

  private Path titanicConfig(String modelSpec) throws Exception {
    Path config = temp.newFile().toPath();
    Files.writeString(
        config,
        "model_specs { "
            + modelSpec
            + " }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' } metrics { class_name: 'AUC' } }"
            + "\nslicing_specs { feature_keys: 'sex' }\n");
    return config;
  }

  private String evaluateTitanic(int code, String modelSpec, String... modelArgs) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                titanicConfig(modelSpec).toString(),
                "--data",
                models().resolve("fixtures/titanic.tfrecord").toString(),
                "--output",
                temp.getRoot().toPath().resolve("out").toString()));
    for (String model : modelArgs) {
      args.add("--model");
      args.add(model);
    }
    String output = run(code, args.toArray(new String[0]));
    if (code != 0) {
      assertFalse(Files.exists(temp.getRoot().toPath().resolve("out")));
    }
    return output;
  }

  @Test
  public void badModelsFailBeforeAnyDataIsRead() throws Exception {
    assertThat(
        evaluateTitanic(2, "label_key: 'survived'", model("no_such_model")),
        allOf(containsString("no_such_model does not exist"), containsString("model_specs[0]")));
    assertThat(
        evaluateTitanic(
            2, "label_key: 'survived' signature_name: 'predict'", model("titanic_keras")),
        allOf(containsString("no signature 'predict'"), containsString("serving_default")));
    assertThat(
        evaluateTitanic(2, "label_key: 'survived'", model("missing_op")),
        containsString("FairbeamNoSuchOp"));
    assertThat(
        evaluateTitanic(
            2, "label_key: 'survived' prediction_key: 'score'", model("titanic_examples")),
        allOf(
            containsString("prediction_key \"score\" is not an output"),
            containsString("logit"),
            containsString("survival_probability")));
    assertThat(
        evaluateTitanic(2, "label_key: 'survived'", model("titanic_examples")),
        containsString("several outputs"));
    assertThat(
        evaluateTitanic(2, "name: 'a' label_key: 'survived'", "b=" + model("titanic_keras")),
        containsString("no model_specs is named \"b\""));
    // The CNN's input 'image' is not a Titanic feature.
    assertThat(
        evaluateTitanic(2, "label_key: 'survived'", model("cnn_plain")),
        allOf(
            containsString("input 'image'"),
            containsString("no matching feature 'image'"),
            containsString("signature 'serving_default'"),
            containsString("first record")));
  }

  /** The CelebA fixture with record 3's image cut to 100 values. */
  private Path celebaWithShortImage() throws Exception {
    List<byte[]> records = records(models().resolve("fixtures/celeba.tfrecord.gz"));
    Path out = temp.getRoot().toPath().resolve("short.tfrecord");
    try (OutputStream file = Files.newOutputStream(out);
        TFRecordWriter writer = new TFRecordWriter(file)) {
      for (int i = 0; i < records.size(); i++) {
        Example example = Example.parseFrom(records.get(i));
        if (i == 3) {
          Example.Builder b = example.toBuilder();
          List<Float> image =
              example
                  .getFeatures()
                  .getFeatureOrThrow("image")
                  .getFloatList()
                  .getValueList()
                  .subList(0, 100);
          b.getFeaturesBuilder()
              .putFeature(
                  "image",
                  Feature.newBuilder()
                      .setFloatList(FloatList.newBuilder().addAllValue(image))
                      .build());
          example = b.build();
        }
        writer.write(example.toByteArray());
      }
    }
    return out;
  }

  @Test
  public void aRecordOfTheWrongShapeIsNamedOrCountedUnderSkip() throws Exception {
    Path data = celebaWithShortImage();
    Path config = temp.getRoot().toPath().resolve("c.pbtxt");
    Files.writeString(config, "model_specs { label_key: 'Smiling' }\n" + CELEBA_METRICS);
    Path out = temp.getRoot().toPath().resolve("out");
    String failed =
        run(
            1,
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            data.toString(),
            "--model",
            model("cnn_plain"),
            "--output",
            out.toString());
    assertThat(
        failed,
        allOf(
            containsString(data + ": record 3"),
            containsString("feature 'image'"),
            containsString("has 100 values"),
            containsString("2352")));
    assertFalse(Files.exists(out));
    String skipped =
        run(
            0,
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            data.toString(),
            "--model",
            model("cnn_plain"),
            "--output",
            out.toString(),
            "--bad-records=skip");
    assertThat(
        skipped,
        allOf(
            containsString("399 of 400 records read"),
            containsString("input 'image' of the model of the wrong shape")));
  }

  @Test
  public void theModelDemoRunsAsDocumented() throws Exception {
    Path out = temp.getRoot().toPath().resolve("celeba-models");
    String report =
        run(
            0,
            "evaluate",
            "--config",
            SharedData.projectRoot().resolve("configs/celeba-models.pbtxt").toString(),
            "--data",
            models().resolve("fixtures/celeba.tfrecord.gz").toString(),
            "--model",
            "candidate=" + model("cnn_reweighted"),
            "--model",
            "baseline=" + model("cnn_plain"),
            "--output",
            out.toString());
    assertThat(
        report,
        allOf(
            containsString("fairness_indicators_metrics @ 0.22"),
            containsString("Young:0  candidate - baseline"),
            containsString("Young:1  baseline"),
            containsString("400 of 400 records read")));
    Map<String, MetricValue> metrics = metricsOf(out);
    double recall =
        metrics
            .get("Young:0 | candidate | false | fairness_indicators_metrics/" + "recall@0.50")
            .getDoubleValue()
            .getValue();
    double baseline =
        metrics
            .get("Young:0 | baseline | false | fairness_indicators_metrics/" + "recall@0.50")
            .getDoubleValue()
            .getValue();
    assertEquals(
        recall - baseline,
        metrics
            .get("Young:0 | candidate | true | " + "fairness_indicators_metrics/recall@0.50")
            .getDoubleValue()
            .getValue(),
        0.0);
  }

  /** The two-headed Titanic model: survival and the passenger class (First, Second, Third). */
  private static final String HEADS_SPEC =
      "label_keys { key: 'class' value: 'class' } label_keys { key: 'survived' value: 'survived' }"
          + " class_names: ['First', 'Second', 'Third']";

  private static final String HEADS_METRICS =
      "metrics_specs { output_names: 'survived'\n"
          + "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.3, 0.5]}' }"
          + "\n  metrics { class_name: 'ExampleCount' }\n  metrics { class_name: 'AUC' } }\n"
          + "metrics_specs { output_names: 'class' binarize { class_ids { values: [0, 1, 2] } }\n"
          + "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' }\n"
          + "  metrics { class_name: 'AUC' } }\n"
          + "metrics_specs { output_names: 'class' aggregate { macro_average: true\n"
          + "  class_weights { key: 0 value: 1 } class_weights { key: 1 value: 1 }\n"
          + "  class_weights { key: 2 value: 1 } }\n"
          + "  metrics { class_name: 'AUC' } metrics { class_name: 'Precision' } }\n"
          + "metrics_specs { output_names: 'class'\n"
          + "  metrics { class_name: 'SparseCategoricalAccuracy' }\n"
          + "  metrics { class_name: 'MultiClassConfusionMatrixAtThresholds' } }\n"
          + "slicing_specs {}\nslicing_specs { feature_keys: 'sex' }\n";

  private static String predictionKeys(String classKey, String survivalKey) {
    return " prediction_keys { key: 'class' value: '"
        + classKey
        + "' } prediction_keys { key: 'survived' value: '"
        + survivalKey
        + "' }";
  }

  /**
   * The two-headed model's config, its scores read from {@code classKey} and {@code survivalKey}.
   */
  private static String headsConfig(String classKey, String survivalKey) {
    return "model_specs { "
        + HEADS_SPEC
        + predictionKeys(classKey, survivalKey)
        + " }\n"
        + HEADS_METRICS;
  }

  @Test
  public void aTwoHeadedModelsClassScoresAndScoreComeFromOneRunAsPythonPredicts() throws Exception {
    EvalPlan plan =
        plan(
            headsConfig("class_probabilities", "survival_probability"),
            Map.of("", model("titanic_heads")));
    // One model plan per output, in the order of their names.
    assertEquals("class", plan.models().get(0).outputName());
    assertEquals(3, plan.models().get(0).inference().scoresPerExample());
    assertEquals(1, plan.models().get(1).inference().scoresPerExample());
    List<double[]> scores = javaScores(plan, models().resolve("fixtures/titanic.tfrecord"));
    double[] classScores = expectedRows("titanic_heads", "class_probabilities");
    assertEquals(891 * 3, classScores.length);
    assertClose(classScores, scores.get(0), 1e-5);
    assertClose(expected("titanic_heads", "survival_probability"), scores.get(1), 1e-5);

    // Without prediction_keys, each output is the signature's output of its name.
    EvalPlan byName =
        plan(
            "model_specs { label_keys { key: 'survival_probability' value: 'survived' }"
                + " label_keys { key: 'class_probabilities' value: 'pclass' } }\n"
                + "metrics_specs { output_names: 'class_probabilities'"
                + " binarize { class_ids { values: [1] } } metrics { class_name: 'AUC' } }\n"
                + "metrics_specs { output_names: 'survival_probability'"
                + " metrics { class_name: 'AUC' } }\n",
            Map.of("", model("titanic_heads")));
    assertEquals(
        List.of("class_probabilities", "survival_probability"),
        byName.models().stream().map(m -> m.inference().output().key()).toList());
    List<double[]> byNameScores = javaScores(byName, models().resolve("fixtures/titanic.tfrecord"));
    assertClose(scores.get(0), byNameScores.get(0), 0);
    assertClose(scores.get(1), byNameScores.get(1), 0);
  }

  @Test
  public void aTwoHeadedSavedModelMatchesTheModelAgnosticPathOnItsScores() throws Exception {
    Path fixture = models().resolve("fixtures/titanic.tfrecord");
    Path modelConfig = temp.getRoot().toPath().resolve("heads.pbtxt");
    Files.writeString(modelConfig, headsConfig("class_probabilities", "survival_probability"));
    Path modelOut = temp.getRoot().toPath().resolve("model-out");
    String report =
        run(
            0,
            "evaluate",
            "--config",
            modelConfig.toString(),
            "--data",
            fixture.toString(),
            "--model",
            model("titanic_heads"),
            "--output",
            modelOut.toString());
    assertThat(report, containsString("891 of 891 records read"));

    List<double[]> scores =
        javaScores(
            plan(
                headsConfig("class_probabilities", "survival_probability"),
                Map.of("", model("titanic_heads"))),
            fixture);
    Path agnosticConfig = temp.getRoot().toPath().resolve("agnostic.pbtxt");
    Files.writeString(agnosticConfig, headsConfig("p_class", "p_survived"));
    Path agnosticOut = temp.getRoot().toPath().resolve("agnostic-out");
    run(
        0,
        "evaluate",
        "--config",
        agnosticConfig.toString(),
        "--data",
        withScores(fixture, Map.of("p_class", scores.get(0), "p_survived", scores.get(1)))
            .toString(),
        "--output",
        agnosticOut.toString());

    Map<String, MetricValue> fromModel = metricsOf(modelOut);
    assertEquals(metricsOf(agnosticOut), fromModel);
    // Each output's keys: the class head per class id and macro averaged, survival without.
    assertThat(
        fromModel.keySet(),
        hasItems(
            "sex:female |  | false | fairness_indicators_metrics/false_positive_rate@0.5"
                + " | output class | class_id { value: 2 }",
            "Overall |  | false | auc | output class | macro_average: true",
            "Overall |  | false | auc | output survived",
            "Overall |  | false | sparse_categorical_accuracy | output class"));
    // The accuracy of the class head, counted here from Python's scores.
    double[] python = expectedRows("titanic_heads", "class_probabilities");
    List<byte[]> records = records(fixture);
    List<String> names = List.of("First", "Second", "Third");
    int right = 0;
    for (int i = 0; i < records.size(); i++) {
      String actual =
          Example.parseFrom(records.get(i))
              .getFeatures()
              .getFeatureOrThrow("class")
              .getBytesList()
              .getValue(0)
              .toStringUtf8();
      int predicted = 0;
      for (int c = 1; c < 3; c++) {
        predicted = python[i * 3 + c] > python[i * 3 + predicted] ? c : predicted;
      }
      right += names.indexOf(actual) == predicted ? 1 : 0;
    }
    assertEquals(
        right / 891.0,
        fromModel
            .get("Overall |  | false | sparse_categorical_accuracy | output class")
            .getDoubleValue()
            .getValue(),
        1e-9);
  }

  @Test
  public void aMultiOutputBaselineIsComparedOutputByOutput() throws Exception {
    Path fixture = models().resolve("fixtures/titanic.tfrecord");
    List<double[]> scores =
        javaScores(
            plan(
                headsConfig("class_probabilities", "survival_probability"),
                Map.of("", model("titanic_heads"))),
            fixture);
    // The baseline: the survival score squared, and each class's score moved to the next class.
    double[] survival = scores.get(1).clone();
    double[] classes = new double[scores.get(0).length];
    for (int i = 0; i < survival.length; i++) {
      survival[i] *= survival[i];
      for (int c = 0; c < 3; c++) {
        classes[i * 3 + (c + 1) % 3] = scores.get(0)[i * 3 + c];
      }
    }
    Path config = temp.getRoot().toPath().resolve("baseline.pbtxt");
    Files.writeString(
        config,
        "model_specs { name: 'candidate' "
            + HEADS_SPEC
            + predictionKeys("class_probabilities", "survival_probability")
            + " }\nmodel_specs { name: 'baseline' is_baseline: true "
            + HEADS_SPEC
            + predictionKeys("b_class", "b_survived")
            + " }\n"
            + HEADS_METRICS);
    Path out = temp.getRoot().toPath().resolve("out");
    run(
        0,
        "evaluate",
        "--config",
        config.toString(),
        "--data",
        withScores(fixture, Map.of("b_class", classes, "b_survived", survival)).toString(),
        "--model",
        "candidate=" + model("titanic_heads"),
        "--output",
        out.toString());
    Map<String, MetricValue> metrics = metricsOf(out);
    Map<String, Integer> diffsByOutput = new HashMap<>();
    for (Map.Entry<String, MetricValue> e : metrics.entrySet()) {
      String[] parts = e.getKey().split(" \\| ", 4);
      if (!parts[2].equals("true") || !e.getValue().hasDoubleValue()) {
        continue;
      }
      assertEquals(e.getKey(), "candidate", parts[1]);
      double candidate =
          metrics.get(parts[0] + " | candidate | false | " + parts[3]).getDoubleValue().getValue();
      double baseline =
          metrics.get(parts[0] + " | baseline | false | " + parts[3]).getDoubleValue().getValue();
      assertEquals(e.getKey(), candidate - baseline, e.getValue().getDoubleValue().getValue(), 0);
      diffsByOutput.merge(parts[3].replaceAll(".* \\| output (\\w+).*", "$1"), 1, Integer::sum);
    }
    // Per slice (3): survived 2 x 10 FI rates + count + AUC; class 3 x 10 rates + 3 AUCs, the
    // two macro averages and the accuracy (example_count of the class head is per model only).
    assertEquals(Map.of("survived", 3 * 22, "class", 3 * 36), diffsByOutput);
  }

  @Test
  public void anOutputMustGiveTheScoresItsMetricsRead() throws Exception {
    assertThat(
        evaluateTitanic(
            2,
            "label_key: 'survived' prediction_key: 'class_probabilities'",
            model("titanic_heads")),
        allOf(
            containsString("reads output 'class_probabilities'"),
            containsString("3 scores per example"),
            containsString("binarize")));
    Path config = temp.getRoot().toPath().resolve("binarized.pbtxt");
    Files.writeString(
        config,
        "model_specs { label_key: 'survived' }\n"
            + "metrics_specs { binarize { class_ids { values: [0, 1] } }"
            + " metrics { class_name: 'AUC' } }\n");
    assertThat(
        run(
            2,
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            models().resolve("fixtures/titanic.tfrecord").toString(),
            "--model",
            model("titanic_keras"),
            "--output",
            temp.getRoot().toPath().resolve("out").toString()),
        allOf(
            containsString("reads output 'survival_probability'"),
            containsString("one score per example, but the metrics read 2 classes")));
    Path unnamed = temp.getRoot().toPath().resolve("unnamed.pbtxt");
    Files.writeString(
        unnamed,
        "model_specs { label_keys { key: 'survived' value: 'survived' } }\n"
            + "metrics_specs { metrics { class_name: 'AUC' } }\n");
    assertThat(
        run(
            2,
            "evaluate",
            "--config",
            unnamed.toString(),
            "--data",
            models().resolve("fixtures/titanic.tfrecord").toString(),
            "--model",
            model("titanic_heads"),
            "--output",
            temp.getRoot().toPath().resolve("out").toString()),
        allOf(
            containsString("output 'survived'"),
            containsString("prediction_key \"survived\" is not an output"),
            containsString("class_probabilities")));
  }
}
