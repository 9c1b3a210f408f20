package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static io.fairbeam.extract.TestExamples.tfRecord;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.Int32Value;
import io.fairbeam.config.ConfigException;
import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.SubKey;
import io.fairbeam.slice.SliceKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Multi-class models binarized as TFMA 0.52's {@code binarize} does: one-vs-rest for a class id and
 * the class of the k-th highest score, each keyed with its {@code sub_key}; expected values worked
 * by hand from the examples.
 */
public class MultiClassTest {
  /** Label class id, then the three class scores. */
  private static final double[][] ROWS = {
    {0, 0.7, 0.2, 0.1},
    {0, 0.3, 0.6, 0.1},
    {1, 0.2, 0.5, 0.3},
    {1, 0.1, 0.3, 0.6},
    {2, 0.1, 0.1, 0.8},
    {2, 0.4, 0.4, 0.2},
  };

  private static EvalPlan plan(String metricsSpecs) {
    return OverallValues.plan(
        "model_specs { label_key: 'label' prediction_key: 'scores' }\n" + metricsSpecs,
        BadRecordPolicy.SKIP);
  }

  private static List<Example> rows() {
    List<Example> rows = new ArrayList<>();
    for (double[] row : ROWS) {
      rows.add(
          example(
              "label",
              ints((long) row[0]),
              "scores",
              floats((float) row[1], (float) row[2], (float) row[3]),
              "group",
              text(row[0] == 2 ? "b" : "a")));
    }
    return rows;
  }

  /** Overall's metric values by "name|sub_key" after evaluating {@code rows}. */
  private static Map<String, Double> evaluate(
      EvalPlan plan, List<Example> rows, List<BadRecord> badRecords) throws IOException {
    return OverallValues.of(plan, rows, badRecords);
  }

  @Test
  public void classIdsAreOneVsRest() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { class_ids { values: [0, 2] } }"
                + " metrics { class_name: 'ExampleCount' }"
                + " metrics { class_name: 'FalsePositives' config: '{\"thresholds\": [0.5]}' }"
                + " metrics { class_name: 'TruePositives' config: '{\"thresholds\": [0.5]}' }"
                + " metrics { class_name: 'Recall' config: '{\"thresholds\": [0.25]}' } }");
    Map<String, Double> values = evaluate(plan, rows(), new ArrayList<>());
    // Class 0: labels 1,1,0,0,0,0; scores .7,.3,.2,.1,.1,.4. Above 0.5: the first (a positive).
    assertEquals(6.0, values.get("example_count|classId:0"), 0);
    assertEquals(1.0, values.get("true_positives|classId:0"), 0);
    assertEquals(0.0, values.get("false_positives|classId:0"), 0);
    // Above 0.25: .7 and .3 (both positives) and .4 (a negative): recall 2/2.
    assertEquals(1.0, values.get("recall|classId:0"), 0);
    // Class 2: labels 0,0,0,0,1,1; scores .1,.1,.3,.6,.8,.2. Above 0.5: .6 (negative), .8.
    assertEquals(1.0, values.get("true_positives|classId:2"), 0);
    assertEquals(1.0, values.get("false_positives|classId:2"), 0);
    // Above 0.25: .3, .6, .8: one of the two positives.
    assertEquals(0.5, values.get("recall|classId:2"), 0);
    assertEquals(8, values.size());
  }

  @Test
  public void kTakesTheClassOfTheKthHighestScore() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { k_list { values: [1, 2] } }"
                + " metrics { class_name: 'TruePositives' config: '{\"thresholds\": [0.35]}' }"
                + " metrics { class_name: 'FalseNegatives' config: '{\"thresholds\": [0.35]}' } }");
    Map<String, Double> values = evaluate(plan, rows(), new ArrayList<>());
    // k=1: the top class and its score per row: (0,.7) label 0 → 1; (1,.6) label 0 → 0;
    // (1,.5) label 1 → 1; (2,.6) label 1 → 0; (2,.8) label 2 → 1; (0,.4) label 2 → 0 (a tie of
    // .4 and .4 goes to the lower class id). Positives scoring above .35: .7, .5, .8.
    assertEquals(3.0, values.get("true_positives|k:1"), 0);
    assertEquals(0.0, values.get("false_negatives|k:1"), 0);
    // k=2: (1,.2) → 0; (0,.3) → 1; (2,.3) → 0; (1,.3) → 1; (0,.1) or (1,.1): tie of .1 and .1,
    // second highest is class 0 (lower id), label 2 → 0; (1,.4) → 0. Positives .3, .3: not > .35.
    assertEquals(0.0, values.get("true_positives|k:2"), 0);
    assertEquals(2.0, values.get("false_negatives|k:2"), 0);
  }

  @Test
  public void keysCarryTheSubKeyAsTfmaWritesIt() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { class_ids { values: [1] } }"
                + " metrics { class_name: 'AUC' } }");
    ModelAccumulators overall = OverallValues.overall(plan, rows());
    MetricKey key =
        new SliceMetricsComputer(plan)
            .compute(SliceKey.OVERALL, overall)
            .metrics()
            .getMetricKeysAndValues(0)
            .getKey();
    assertEquals(SubKey.newBuilder().setClassId(Int32Value.of(1)).build(), key.getSubKey());
    assertEquals("auc", key.getName());
  }

  /** TFMA's six weighted examples of multi_class_confusion_matrix_metrics_test.py. */
  private static List<Example> tfmaMatrixExamples() {
    double[][] rows = {
      {2, 0.5, 0.2, 0.3, 0.5},
      {0, 1.0, 0.1, 0.3, 0.6},
      {1, 0.25, 0.3, 0.1, 0.6},
      {1, 1.0, 0.1, 0.9, 0.0},
      {1, 1.0, 0.1, 0.8, 0.1},
      {2, 1.0, 0.3, 0.1, 0.6},
    };
    List<Example> examples = new ArrayList<>();
    for (double[] r : rows) {
      examples.add(
          example(
              "label",
              floats((float) r[0]),
              "w",
              floats((float) r[1]),
              "scores",
              floats((float) r[2], (float) r[3], (float) r[4])));
    }
    return examples;
  }

  /** "threshold: actual→predicted=weight ..." of each matrix. */
  private static String entries(
      io.fairbeam.proto.tfma.MultiClassConfusionMatrixAtThresholds matrices) {
    StringBuilder text = new StringBuilder();
    for (var matrix : matrices.getMatricesList()) {
      text.append(matrix.getThreshold()).append(':');
      for (var e : matrix.getEntriesList()) {
        text.append(' ')
            .append(e.getActualClassId())
            .append('>')
            .append(e.getPredictedClassId())
            .append('=')
            .append(e.getNumWeightedExamples());
      }
      text.append('\n');
    }
    return text.toString();
  }

  @Test
  public void multiClassConfusionMatricesMatchTfmasTestVectors() throws IOException {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'label' prediction_key: 'scores' example_weight_key: 'w' }\n"
                + "metrics_specs { metrics { class_name: 'MultiClassConfusionMatrixAtThresholds' }"
                + " metrics { class_name: 'MultiClassConfusionMatrixPlot'"
                + " config: '{\"num_thresholds\": 3}' }"
                + " binarize { class_ids { values: [1] } } metrics { class_name: 'AUC' } }",
            "c.pbtxt");
    EvalPlan plan = EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
    ModelAccumulators overall = OverallValues.overall(plan, tfmaMatrixExamples());
    SliceMetricsComputer.Result result =
        new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, overall);
    MetricsForSlice.MetricKeyAndValue matrix = result.metrics().getMetricKeysAndValues(0);
    assertEquals("multi_class_confusion_matrix_at_thresholds", matrix.getKey().getName());
    assertEquals(false, matrix.getKey().hasSubKey());
    // TFMA's expected entries at 0.5, each also worked from the examples: the top score .5 of
    // the first (class 2, weight .5) is not above 0.5, so it has no predicted class.
    assertEquals(
        "0.5: 0>2=1.0 1>1=2.0 1>2=0.25 2>-1=0.5 2>2=1.0\n",
        entries(matrix.getValue().getMultiClassConfusionMatrixAtThresholds()));
    // num_thresholds 3: -1e-7 (written 0), 0.5 and 1 + 1e-7 (written 1, where nothing is
    // predicted).
    var plot = result.plots().getPlotKeysAndValues(0);
    assertEquals("multi_class_confusion_matrix_plot", plot.getKey().getName());
    assertEquals(
        "0.0: 0>2=1.0 1>1=2.0 1>2=0.25 2>2=1.5\n"
            + "0.5: 0>2=1.0 1>1=2.0 1>2=0.25 2>-1=0.5 2>2=1.0\n"
            + "1.0: 0>-1=1.0 1>-1=2.25 2>-1=1.5\n",
        entries(plot.getValue().getMultiClassConfusionMatrixAtThresholds()));
    // The binarized AUC is keyed by its class; the matrices by none.
    assertTrue(
        result.metrics().getMetricKeysAndValuesList().stream()
            .anyMatch(kv -> kv.getKey().getName().equals("auc") && kv.getKey().hasSubKey()));
  }

  @Test
  public void matricesMergeAndTravelEncoded() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { metrics { class_name: 'MultiClassConfusionMatrixAtThresholds'"
                + " config: '{\"thresholds\": [0.0, 0.5]}' } }");
    List<Example> rows = rows();
    ModelAccumulators merged = null;
    for (List<Example> part : List.of(rows.subList(0, 2), rows.subList(2, rows.size()))) {
      try (RecordEvaluator evaluator =
          new RecordEvaluator(plan, RecordFormat.TFRECORD, null, null)) {
        evaluator.evaluate(new ByteArrayInputStream(tfRecord(part)), "part.tfrecord");
        ModelAccumulators read = evaluator.drain().slices().get(SliceKey.OVERALL);
        ModelAccumulators decoded =
            ModelAccumulators.fromBytes(plan.accumulatorSpec(), read.toBytes());
        if (merged == null) {
          merged = decoded;
        } else {
          merged.merge(decoded);
        }
      }
    }
    MetricsForSlice metrics =
        new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, merged).metrics();
    // ROWS by hand: top classes 0 (.7), 1 (.6), 1 (.5), 2 (.6), 2 (.8), 0 (.4, a tie with class
    // 1 going to the lower id); above 0.5 only .7, .6, .6 and .8.
    assertEquals(
        "0.0: 0>0=1.0 0>1=1.0 1>1=1.0 1>2=1.0 2>0=1.0 2>2=1.0\n"
            + "0.5: 0>0=1.0 0>1=1.0 1>-1=1.0 1>2=1.0 2>-1=1.0 2>2=1.0\n",
        entries(
            metrics
                .getMetricKeysAndValues(0)
                .getValue()
                .getMultiClassConfusionMatrixAtThresholds()));
  }

  @Test
  public void aCandidateIsComparedWithItsBaselineClassByClassWithIntervals() throws IOException {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { name: 'candidate' label_key: 'label' prediction_key: 'scores' }\n"
                + "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'old'"
                + " is_baseline: true }\n"
                + "metrics_specs { binarize { class_ids { values: [0, 2] } }"
                + " metrics { class_name: 'TruePositives' config: '{\"thresholds\": [0.5]}' }"
                + " metrics { class_name: 'SymmetricFlipRate' } }\n"
                + "options { compute_confidence_intervals { value: true } }",
            "c.pbtxt");
    EvalPlan plan = EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
    List<Example> rows = new ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int i = 0; i < 400; i++) {
      int label = random.nextInt(3);
      float[] scores = new float[3];
      float[] old = new float[3];
      for (int c = 0; c < 3; c++) {
        scores[c] = (float) random.nextDouble();
        old[c] = (float) random.nextDouble();
      }
      rows.add(example("label", ints(label), "scores", floats(scores), "old", floats(old)));
    }
    ModelAccumulators overall = OverallValues.overall(plan, rows);
    MetricsForSlice metrics =
        new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, overall).metrics();
    Map<String, MetricsForSlice.MetricKeyAndValue> byKey = new LinkedHashMap<>();
    for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
      byKey.put(
          OverallValues.name(kv.getKey())
              + "|"
              + kv.getKey().getModelName()
              + (kv.getKey().getIsDiff() ? "|diff" : ""),
          kv);
    }
    for (int c : new int[] {0, 2}) {
      // By hand: the true positives of each model for class c, and the flips between them.
      double candidate = 0;
      double baseline = 0;
      double flips = 0;
      for (Example row : rows) {
        var f = row.getFeatures().getFeatureMap();
        boolean positive = f.get("label").getInt64List().getValue(0) == c;
        boolean newYes = f.get("scores").getFloatList().getValue(c) > 0.5;
        boolean oldYes = f.get("old").getFloatList().getValue(c) > 0.5;
        candidate += positive && newYes ? 1 : 0;
        baseline += positive && oldYes ? 1 : 0;
        flips += newYes != oldYes ? 1 : 0;
      }
      var tp = byKey.get("true_positives|classId:" + c + "|candidate");
      assertEquals(candidate, tp.getValue().getDoubleValue().getValue(), 0);
      assertTrue(tp.hasConfidenceInterval());
      var diff = byKey.get("true_positives|classId:" + c + "|candidate|diff");
      assertEquals(candidate - baseline, diff.getValue().getDoubleValue().getValue(), 1e-9);
      var flip = byKey.get("symmetric_flip_rate|classId:" + c + "|candidate|diff");
      assertEquals(flips / rows.size(), flip.getValue().getDoubleValue().getValue(), 1e-12);
      assertTrue(flip.hasConfidenceInterval());
    }
  }

  @Test
  public void categoricalAccuraciesAndLossesAreMeansOverExamples() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { metrics { class_name: 'SparseCategoricalAccuracy' }"
                + " metrics { class_name: 'SparseCategoricalCrossentropy' }"
                + " metrics { class_name: 'CategoricalCrossentropy'"
                + " config: '{\"name\": \"keras_ce\", \"label_smoothing\": 0.3}' }"
                + " metrics { class_name: 'CategoricalCrossEntropy' }"
                + " metrics { class_name: 'CategoricalCrossEntropy'"
                + " config: '{\"name\": \"tfma_ce\", \"label_smoothing\": 0.3}' } }");
    Map<String, Double> values = evaluate(plan, rows(), new ArrayList<>());
    // By hand over ROWS: the top class matches the label in rows 1, 3 and 5.
    assertEquals(3.0 / 6, values.get("sparse_categorical_accuracy|"), 1e-15);
    // The scores of each row sum to 1, so both unsmoothed losses are the mean of -log p(label).
    double[] labelScores = {0.7, 0.3, 0.5, 0.3, 0.8, 0.2};
    double logLoss = 0;
    for (double p : labelScores) {
      logLoss -= Math.log(p) / 6;
    }
    // Scores are float32 in a tf.Example: compare to their precision.
    assertEquals(logLoss, values.get("sparse_categorical_crossentropy|"), 1e-6);
    assertEquals(logLoss, values.get("categorical_crossentropy|"), 1e-6);
    // Smoothing 0.3 over 3 classes: 0.8 on the label's class, 0.1 on each other.
    double smoothed = 0;
    for (double[] row : ROWS) {
      for (int c = 0; c < 3; c++) {
        smoothed -= (c == row[0] ? 0.8 : 0.1) * Math.log(row[c + 1]) / 6;
      }
    }
    assertEquals(smoothed, values.get("keras_ce|"), 1e-6);
    assertEquals(smoothed, values.get("tfma_ce|"), 1e-6);

    // Keras' ignore_class masks the examples of that label out of the mean: rows 4 and 5 (label 2).
    EvalPlan ignoring =
        plan(
            "metrics_specs { metrics { class_name: 'SparseCategoricalCrossentropy'"
                + " config: '{\"ignore_class\": 2}' } }");
    double kept = 0;
    for (int i = 0; i < 4; i++) {
      kept -= Math.log(labelScores[i]) / 4;
    }
    assertEquals(
        kept, evaluate(ignoring, rows(), null).get("sparse_categorical_crossentropy|"), 1e-6);
  }

  @Test
  public void macroAveragesWeighClassesAsTfmaDoes() throws IOException {
    List<Example> rows = new ArrayList<>(rows());
    for (int i = 0; i < 2; i++) {
      rows.add(example("label", ints(0), "scores", floats(0.2f, 0.3f, 0.5f), "group", text("a")));
    }
    String metrics =
        " class_weights { key: 0 value: 1 } class_weights { key: 1 value: 1 }"
            + " class_weights { key: 2 value: 2 } }"
            + " metrics { class_name: 'Recall' config: '{\"thresholds\": [0.25]}' }"
            + " metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.25]}' } }";
    // Recall above 0.25 by hand: class 0 scores .7, .3, .2, .2 for its four positives (2 of 4);
    // class 1 .5 and .3 (2 of 2); class 2 .8 and .2 (1 of 2).
    Map<String, Double> macro =
        evaluate(plan("metrics_specs { aggregate { macro_average: true" + metrics), rows, null);
    assertEquals((0.5 + 1 + 2 * 0.5) / 4, macro.get("recall|macro"), 1e-15);
    // Each Fairness Indicators key is averaged on its own (TFMA 0.52 fails on this).
    assertEquals(
        macro.get("recall|macro"),
        macro.get("fairness_indicators_metrics/recall@0.25|macro"),
        1e-15);
    // Weighted: each class weight times the class's share of the labels, 4/8, 2/8 and 2/8.
    Map<String, Double> weighted =
        evaluate(
            plan("metrics_specs { aggregate { weighted_macro_average: true" + metrics), rows, null);
    double[] w = {0.5 * 1, 0.25 * 1, 0.25 * 2};
    assertEquals(
        (0.5 * w[0] + 1 * w[1] + 0.5 * w[2]) / (w[0] + w[1] + w[2]),
        weighted.get("recall|macro"),
        1e-15);
    assertEquals(1 + 10, weighted.size());
    String noWeights =
        assertThrows(
                ConfigException.class,
                () ->
                    plan(
                        "metrics_specs { aggregate { macro_average: true }"
                            + " metrics { class_name: 'AUC' } }"))
            .getMessage();
    assertTrue(noWeights, noWeights.contains("aggregate needs class_weights"));
  }

  @Test
  public void thresholdsApplyToEachClassAsTfmaKeysThem() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { class_ids { values: [0, 2] } }"
                + " metrics { class_name: 'Recall' config: '{\"thresholds\": [0.25]}'"
                + " threshold { value_threshold { lower_bound { value: 0.9 } } } } }");
    ModelAccumulators overall = OverallValues.overall(plan, rows());
    MetricsForSlice metrics =
        new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, overall).metrics();
    var validation = plan.validator().validate(metrics);
    // Recall above 0.25 by hand (classIdsAreOneVsRest): class 0 is 1 (passes 0.9), class 2 is 0.5.
    assertEquals(false, validation.getValidationOk());
    var failures = validation.getMetricValidationsPerSlice(0).getFailuresList();
    assertEquals(1, failures.size());
    assertEquals(2, failures.get(0).getMetricKey().getSubKey().getClassId().getValue());
    assertEquals(0.5, failures.get(0).getMetricValue().getDoubleValue().getValue(), 0);
  }

  /**
   * A threshold on a metric whose own {@code top_k} merges into the spec's class ids gates the
   * metric under its merged sub-key. TFMA 0.52 keys the threshold with the spec's sub-key alone,
   * finds no such metric and fails the run ("Metric not found."), whatever the value.
   */
  @Test
  public void aThresholdOnAClassAmongTheTopKGatesItsMergedKey() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { class_ids { values: [0, 2] } }"
                + " metrics { class_name: 'Precision' config: '{\"top_k\": 2}'"
                + " threshold { value_threshold { lower_bound { value: 0.4 } } } } }");
    ModelAccumulators overall = OverallValues.overall(plan, rows());
    MetricsForSlice metrics =
        new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, overall).metrics();
    var validation = plan.validator().validate(metrics);
    // Precision by hand (aClassAmongTheTopKJoinsBothInOneSubKey): class 0 is 1/2, class 2 is 1/3.
    var failures = validation.getMetricValidationsPerSlice(0).getFailuresList();
    assertEquals(1, failures.size());
    assertEquals(2, failures.get(0).getMetricKey().getSubKey().getClassId().getValue());
    assertEquals(2, failures.get(0).getMetricKey().getSubKey().getTopK().getValue());
    assertEquals(1.0 / 3, failures.get(0).getMetricValue().getDoubleValue().getValue(), 1e-12);
  }

  @Test
  public void crossSlicesCompareEachClassOnItsOwn() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { class_ids { values: [0] } }"
                + " metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.25]}' } }\n"
                + "slicing_specs { feature_keys: ['group'] }\n"
                + "cross_slicing_specs { baseline_spec { feature_values { key: 'group' value: 'a' } }"
                + " slicing_specs { feature_values { key: 'group' value: 'b' } } }");
    Map<SliceKey, ModelAccumulators> slices = OverallValues.drain(plan, rows(), null).slices();
    List<SliceValues> values = new ArrayList<>();
    SliceMetricsComputer computer = new SliceMetricsComputer(plan);
    slices.forEach((key, acc) -> values.add(computer.compute(key, acc).values()));
    List<SliceMetricsComputer.Result> cross = new CrossSliceComputer(plan).compute(values);
    assertEquals(1, cross.size());
    double fpr =
        cross.get(0).metrics().getMetricKeysAndValuesList().stream()
            .filter(
                kv ->
                    kv.getKey()
                            .getName()
                            .equals("fairness_indicators_metrics/false_positive_rate@0.25")
                        && kv.getKey().getSubKey().getClassId().getValue() == 0
                        && kv.getKey().hasSubKey())
            .findFirst()
            .orElseThrow()
            .getValue()
            .getDoubleValue()
            .getValue();
    // By hand: group a (rows 1-4) has class 0's negatives at .2 and .1 (none above 0.25), group b
    // (rows 5-6) at .1 and .4 (one of two): a - b = 0 - 0.5.
    assertEquals(-0.5, fpr, 1e-12);
  }

  @Test
  public void unusableMultiClassRecordsNameTheirField() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { class_ids { values: [2] } }"
                + " metrics { class_name: 'ExampleCount' } }");
    List<Example> rows =
        List.of(
            example("label", ints(3), "scores", floats(0.2f, 0.3f, 0.5f)),
            example("label", ints(1), "scores", floats(0.2f, 0.8f)),
            example("label", ints(1), "scores", floats(0.2f, Float.NaN, 0.5f)),
            example("label", floats(1.5f), "scores", floats(0.2f, 0.3f, 0.5f)),
            example("label", ints(1, 0), "scores", floats(0.2f, 0.3f, 0.5f)),
            example("label", ints(-1), "scores", floats(0.2f, 0.3f, 0.5f)),
            example("label", ints(0, 0, 1), "scores", floats(0.2f, 0.3f, 0.5f)));
    List<BadRecord> bad = new ArrayList<>();
    Map<String, Double> values = evaluate(plan, rows, bad);
    assertEquals(2.0, values.get("example_count|classId:2"), 0);
    List<String> details = new ArrayList<>();
    bad.forEach(b -> details.add(b.getDetail()));
    assertEquals(5, details.size());
    assertTrue(details.get(0), details.get(0).contains("'label' (label_key) is 3.0"));
    assertTrue(details.get(0), details.get(0).contains("from 0 to 2"));
    assertTrue(details.get(1), details.get(1).contains("has 2 values"));
    assertTrue(details.get(1), details.get(1).contains("at least 3 classes"));
    assertTrue(details.get(2), details.get(2).contains("NaN for class 1"));
    assertTrue(details.get(3), details.get(3).contains("is 1.5"));
    assertTrue(details.get(4), details.get(4).contains("has 2 values; expected one class id"));
  }

  /**
   * A metric's own {@code top_k} in a spec that binarizes class ids (or its own {@code class_id}
   * under {@code binarize.top_k_list}) makes TFMA's sub-key with both: the class one-vs-rest, its
   * score −inf outside the record's top k, at the default threshold −inf.
   */
  @Test
  public void aClassAmongTheTopKJoinsBothInOneSubKey() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { class_ids { values: [0, 2] } }"
                + " metrics { class_name: 'Precision' config: '{\"top_k\": 2}' }"
                + " metrics { class_name: 'Recall' config: '{\"top_k\": 2}' } }\n"
                + "metrics_specs { binarize { top_k_list { values: [2] } }"
                + " metrics { class_name: 'FalsePositives' config: '{\"class_id\": 1}' } }");
    Map<String, Double> values = evaluate(plan, rows(), null);
    // Top two classes per row (ties to the lower id): {0,1} {0,1} {1,2} {1,2} {0,2} {0,1}.
    // Class 0 is among them in rows 0, 1 (label 0) and 4, 5 (label 2): precision 2/4, recall 2/2.
    assertEquals(0.5, values.get("precision|classId:0,topK:2"), 1e-12);
    assertEquals(1.0, values.get("recall|classId:0,topK:2"), 1e-12);
    // Class 2 in rows 2, 3 (label 1) and 4 (label 2); row 5 (label 2) keeps it out: 1/3, 1/2.
    assertEquals(1.0 / 3, values.get("precision|classId:2,topK:2"), 1e-12);
    assertEquals(0.5, values.get("recall|classId:2,topK:2"), 1e-12);
    // Class 1 among the top two of rows 0, 1 and 5, none labelled 1.
    assertEquals(3.0, values.get("false_positives|classId:1,topK:2"), 0);
    assertEquals(5, values.size());
  }

  @Test
  public void refusesWhatItCannotComputeNamingTheLine() {
    String[][] overlapping = {
      {"class_ids { values: [1] }", "'{\"class_id\": 2}'", "set the same part of the sub-key"},
      {"top_k_list { values: [1] }", "'{\"top_k\": 2}'", "set the same part of the sub-key"},
      {"k_list { values: [1] }", "'{\"top_k\": 2}'", "a k sub-key takes no class_id or top_k"},
    };
    for (String[] c : overlapping) {
      String message =
          assertThrows(
                  ConfigException.class,
                  () ->
                      plan(
                          "metrics_specs {\n binarize { "
                              + c[0]
                              + " } metrics { class_name: 'Precision' config: "
                              + c[1]
                              + " } }"))
              .getMessage();
      assertTrue(message, message.contains("line 3") && message.contains(c[2]));
    }
    String weightedTopK =
        assertThrows(
                ConfigException.class,
                () ->
                    plan(
                        "metrics_specs { aggregate { micro_average: true"
                            + " class_weights { key: 0 value: 1 } top_k_list { values: [2] } }"
                            + " metrics { class_name: 'Precision' } }"))
            .getMessage();
    assertTrue(weightedTopK, weightedTopK.contains("class_weights cannot be used with"));
    String negative =
        assertThrows(
                ConfigException.class,
                () ->
                    plan(
                        "metrics_specs { binarize { class_ids { values: [-1] } }"
                            + " metrics { class_name: 'AUC' } }"))
            .getMessage();
    assertTrue(negative, negative.contains("class ids are 0 or more"));
    String unbinarized =
        assertThrows(
                ConfigException.class,
                () ->
                    plan(
                        "metrics_specs { binarize { class_ids { values: [0] } }"
                            + " metrics { class_name: 'AUC' } }\n"
                            + "metrics_specs { metrics { class_name: 'Precision' } }"))
            .getMessage();
    assertTrue(
        unbinarized,
        unbinarized.contains("metrics_specs[1]") && unbinarized.contains("precision takes one"));
  }

  /**
   * {@code binarize.top_k_list}: every class a binary example, its score kept only in the example's
   * top k (else −inf); under the top-k sub-key Precision and Recall default to the threshold −inf.
   */
  @Test
  public void topKPoolsEveryClassWithScoresOutsideTheTopKMasked() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { binarize { top_k_list { values: [1, 2] } }"
                + " metrics { class_name: 'ExampleCount' }"
                + " metrics { class_name: 'Precision' }"
                + " metrics { class_name: 'Recall' }"
                + " metrics { class_name: 'Recall' config: '{\"name\": \"recall_half\","
                + " \"thresholds\": [0.5]}' }"
                + " metrics { class_name: 'MeanLabel' } }");
    Map<String, Double> values = evaluate(plan, rows(), new ArrayList<>());
    // Six labels among the 18 class examples (TFMA 0.52 fails on this one, see the README).
    assertEquals(1.0 / 3, values.get("mean_label|topK:1"), 1e-12);
    // Each record counts once, not once per class.
    assertEquals(6.0, values.get("example_count|topK:1"), 0);
    // Top 1 per row: class 0, 1, 1, 2, 2, and 0 (the tie of .4 and .4 goes to the lower id); the
    // labels are 0, 0, 1, 1, 2, 2: three hits among six predicted, of six labels.
    assertEquals(0.5, values.get("precision|topK:1"), 1e-12);
    assertEquals(0.5, values.get("recall|topK:1"), 1e-12);
    // Top 2: {0,1}, {1,0}, {1,2}, {2,1}, {2,0}, {0,1}: every label but the last is in its top 2.
    assertEquals(5.0 / 12, values.get("precision|topK:2"), 1e-12);
    assertEquals(5.0 / 6, values.get("recall|topK:2"), 1e-12);
    // At 0.5 only the top-k scores above it count: .7 (hit), .6, .6 (misses), .8 (hit).
    assertEquals(2.0 / 6, values.get("recall_half|topK:2"), 1e-12);
    assertEquals(10, values.size());
  }

  /** A metric's own {@code top_k} argument binarizes it alone, as the spec's would. */
  @Test
  public void aMetricsOwnTopKBinarizesItAlone() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { metrics { class_name: 'ExampleCount' }"
                + " metrics { class_name: 'Precision' config: '{\"top_k\": 2}' }"
                + " metrics { class_name: 'Recall' config: '{\"top_k\": 2}' } }");
    Map<String, Double> values = evaluate(plan, rows(), new ArrayList<>());
    assertEquals(6.0, values.get("example_count|"), 0);
    assertEquals(5.0 / 12, values.get("precision|topK:2"), 1e-12);
    assertEquals(5.0 / 6, values.get("recall|topK:2"), 1e-12);
    assertEquals(3, values.size());
  }

  /**
   * {@code aggregate.micro_average}: every class a binary example, weighted by its class weight (0
   * for a class without one), pooled; counts still count records.
   */
  @Test
  public void microAveragePoolsClassesWeightedByTheirClassWeights() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { aggregate { micro_average: true }"
                + " metrics { class_name: 'ExampleCount' }"
                + " metrics { class_name: 'Precision' } metrics { class_name: 'Recall' } }\n"
                + "metrics_specs { aggregate { micro_average: true"
                + " class_weights { key: 0 value: 1 } class_weights { key: 2 value: 0.5 } }"
                + " metrics { class_name: 'Precision' config: '{\"name\": \"p\"}' }"
                + " metrics { class_name: 'Recall' config: '{\"name\": \"r\"}' }"
                + " metrics { class_name: 'MeanLabel' } }");
    Map<String, Double> values = evaluate(plan, rows(), new ArrayList<>());
    // TFMA keys only its confusion-matrix metrics with the micro average: the count and the mean
    // label go without it.
    assertEquals(6.0, values.get("example_count|"), 0);
    // Scores above 0.5 of the 18 class examples: .7 (class 0, label), .6 (class 1, not), .6
    // (class 2, not), .8 (class 2, label); six labels in all.
    assertEquals(0.5, values.get("precision|micro"), 1e-12);
    assertEquals(2.0 / 6, values.get("recall|micro"), 1e-12);
    // Class weights 1, 0, 0.5: hits 1 + 0.5, misses 0 + 0.5; labels 2·1 + 2·0.5.
    assertEquals(0.75, values.get("p|micro"), 1e-12);
    assertEquals(0.5, values.get("r|micro"), 1e-12);
    // Label weight 3 over the class examples' weight 6·1 + 6·0 + 6·0.5.
    assertEquals(3.0 / 9, values.get("mean_label|"), 1e-12);
    assertEquals(6, values.size());
  }

  /**
   * {@code aggregate.top_k_list}: the micro average pools only each record's top k classes (labels
   * truncated with them); the macro average averages the k-th classes' one-vs-rest metrics.
   */
  @Test
  public void aggregateTopKTruncatesToTheTopClasses() throws IOException {
    EvalPlan plan =
        plan(
            "metrics_specs { aggregate { micro_average: true top_k_list { values: [2] } }"
                + " metrics { class_name: 'Precision' } metrics { class_name: 'Recall' } }\n"
                + "metrics_specs { aggregate { macro_average: true top_k_list { values: [2] } }"
                + " metrics { class_name: 'Recall' config: '{\"name\": \"r\"}' } }");
    Map<String, Double> values = evaluate(plan, rows(), new ArrayList<>());
    // The top 2 of each row, all predicted at −inf: five of the twelve are the label, and the
    // five labels kept are all predicted.
    assertEquals(5.0 / 12, values.get("precision|topK:2micro"), 1e-12);
    assertEquals(1.0, values.get("recall|topK:2micro"), 1e-12);
    // k=1 at 0.5: labels on rows 1, 3, 5 (scores .7, .5, .8): recall 2/3. k=2: labels on rows 2
    // and 4 (scores .3, .3): recall 0. Their mean, each k weighing 1:
    assertEquals(1.0 / 3, values.get("r|topK:2macro"), 1e-12);
    assertEquals(3, values.size());
  }

  /**
   * TFMA's vector of multi_label_confusion_matrix_plot_test.py (four unweighted multi-label
   * examples at 0.5), each entry also worked from the examples: for each class an example is
   * labelled with, each class's positive (score above 0.5) or negative, true or false.
   */
  @Test
  public void multiLabelConfusionMatricesMatchTfmasTestVector() throws IOException {
    double[][] rows = {
      {1, 1, 0, 0.7, 0.5, 0.2},
      {0, 1, 0, 0.3, 0.6, 0.1},
      {0, 0, 0, 0.2, 0.4, 0.5},
      {1, 0, 0, 1.0, 0.4, 0.1},
    };
    List<Example> examples = new ArrayList<>();
    for (double[] r : rows) {
      examples.add(
          example(
              "labels",
              ints((long) r[0], (long) r[1], (long) r[2]),
              "scores",
              floats((float) r[3], (float) r[4], (float) r[5])));
    }
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'labels' prediction_key: 'scores' }\n"
                + "metrics_specs { metrics { class_name: 'MultiLabelConfusionMatrixPlot' } }",
            "c.pbtxt");
    EvalPlan plan = EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
    ModelAccumulators overall = OverallValues.overall(plan, examples);
    var plot =
        new SliceMetricsComputer(plan)
            .compute(SliceKey.OVERALL, overall)
            .plots()
            .getPlotKeysAndValues(0);
    assertEquals("multi_label_confusion_matrix_plot", plot.getKey().getName());
    StringBuilder text = new StringBuilder();
    for (var matrix :
        plot.getValue().getMultiLabelConfusionMatrixAtThresholds().getMatricesList()) {
      text.append(matrix.getThreshold()).append(':');
      for (var e : matrix.getEntriesList()) {
        text.append(
            String.format(
                " %d>%d=%.0f/%.0f/%.0f/%.0f",
                e.getActualClassId(),
                e.getPredictedClassId(),
                e.getFalseNegatives(),
                e.getTrueNegatives(),
                e.getFalsePositives(),
                e.getTruePositives()));
      }
    }
    // Entries fn/tn/fp/tp. Class 0 (rows 1 and 4): class 0 scored .7 and 1.0, both true
    // positives; class 1 (.5, not above, labelled in row 1; .4 unlabelled in row 4): a false
    // negative and a true negative; class 2 (.2, .1): two true negatives. Class 1 (rows 1 and 2):
    // class 0 .7 (labelled) and .3 (not), class 1 .5 (labelled, not above) and .6 (labelled),
    // class 2 .2 and .1. Row 3 has no label and counts nowhere.
    assertEquals(
        "0.5: 0>0=0/0/0/2 0>1=1/1/0/0 0>2=0/2/0/0 1>0=0/1/0/1 1>1=1/0/0/1 1>2=0/2/0/0",
        text.toString());
  }

  /**
   * A fairness constraint on class 1 of a multi-class model judges it one against the rest: its
   * report equals that of the same constraint on a binary model whose label is "class 1" and whose
   * score is class 1's score, computed from features made so.
   */
  @Test
  public void aConstraintOnAClassJudgesItOneAgainstTheRest() throws IOException {
    String constraint =
        "fairness_constraints { constraint: 'abs((FPR@0.5 | [A]) - (FPR@0.5 | [B])) <= 0.9'"
            + " delta: 0.1 groups { key: 'A' value { feature_values { key: 'group' value: 'a' } } }"
            + " groups { key: 'B' value { feature_values { key: 'group' value: 'b' } } }%s }";
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double[] row = ROWS[i % ROWS.length];
      rows.add(
          example(
              "label",
              ints((long) row[0]),
              "scores",
              floats((float) row[1], (float) row[2], (float) row[3]),
              "is1",
              ints(row[0] == 1 ? 1 : 0),
              "score1",
              floats((float) row[2]),
              "group",
              text(i % 3 == 0 ? "b" : "a")));
    }
    EvalPlan classPlan =
        plan(
            "metrics_specs { binarize { class_ids { values: [1] } }"
                + " metrics { class_name: 'ExampleCount' } }\n"
                + String.format(constraint, " class_id { value: 1 }"));
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'is1' prediction_key: 'score1' }\n"
                + "metrics_specs { metrics { class_name: 'ExampleCount' } }\n"
                + String.format(constraint, ""),
            "c.pbtxt");
    EvalPlan binaryPlan =
        EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
    var byClass = judge(classPlan, rows).getConstraints(0);
    var binary = judge(binaryPlan, rows).getConstraints(0);
    assertEquals(binary.getBaseNodesList(), byClass.getBaseNodesList());
    assertEquals(binary.getGUpperBound(), byClass.getGUpperBound(), 0);
    assertEquals(1, byClass.getClassId().getValue());
    assertTrue(byClass.getMessage(), byClass.getMessage().contains("for class 1"));
    // Both groups have examples of other classes above 0.5 for class 1 (FPR > 0).
    assertTrue(byClass.getBaseNodes(0).getValue() > 0);
  }

  private static io.fairbeam.proto.ConstraintReport judge(EvalPlan plan, List<Example> rows)
      throws IOException {
    return plan.constraints()
        .judge(OverallValues.drain(plan, rows, null).counts().constraintSums());
  }

  @Test
  public void aConstraintOnAMultiClassModelNeedsItsClass() {
    String message =
        assertThrows(
                ConfigException.class,
                () ->
                    plan(
                        "metrics_specs { binarize { class_ids { values: [1] } }"
                            + " metrics { class_name: 'ExampleCount' } }\n"
                            + "fairness_constraints { constraint: '(FPR@0.5 | [A]) <= 0.5'"
                            + " delta: 0.1 groups { key: 'A' value { feature_values { key:"
                            + " 'group' value: 'a' } } } }"))
            .getMessage();
    assertTrue(message, message.contains("line 3") && message.contains("class_id"));
  }

  /**
   * With {@code class_names}, a label may name its class (or, for a multi-label example, several):
   * the values equal those of the same labels given by id; a name the list lacks is a bad record
   * naming the field and the value.
   */
  @Test
  public void labelsMayNameTheirClasses() throws IOException {
    String[] names = {"light", "medium", "dark"};
    String specs =
        "metrics_specs { binarize { class_ids { values: [0, 2] } }"
            + " metrics { class_name: 'Recall' } metrics { class_name: 'FalsePositives' }"
            + " metrics { class_name: 'ExampleCount' } }\n"
            + "metrics_specs { metrics { class_name: 'SparseCategoricalAccuracy' } }";
    List<Example> byName = new ArrayList<>();
    for (double[] row : ROWS) {
      byName.add(
          example(
              "label",
              text(names[(int) row[0]]),
              "scores",
              floats((float) row[1], (float) row[2], (float) row[3])));
    }
    byName.add(example("label", text("medium", "dark"), "scores", floats(0.2f, 0.3f, 0.5f)));
    byName.add(example("label", text("Dark"), "scores", floats(0.2f, 0.3f, 0.5f)));
    List<Example> byId = new ArrayList<>(rows());
    byId.add(example("label", ints(0, 1, 1), "scores", floats(0.2f, 0.3f, 0.5f)));
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'label' prediction_key: 'scores'"
                + " class_names: ['light', 'medium', 'dark'] }\n"
                + specs,
            "c.pbtxt");
    EvalPlan named = EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.SKIP);
    List<BadRecord> bad = new ArrayList<>();
    Map<String, Double> values = evaluate(named, byName, bad);
    assertEquals(evaluate(plan(specs), byId, new ArrayList<>()), values);
    assertEquals(7.0, values.get("example_count|classId:0"), 0);
    assertEquals(1, bad.size());
    assertTrue(
        bad.get(0).getDetail(),
        bad.get(0).getDetail().contains("is \"Dark\", which class_names does not list"));
  }
}
