package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static io.fairbeam.extract.TestExamples.tfRecord;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.Test;

/**
 * Resampling keyed by an example id ({@code example_id_key}): the same rows under another file
 * name, in another order and split over other files get the same intervals, where keying by file
 * name and position (the default) gives others; a record without the id is a bad record.
 */
public class ExampleIdResamplingTest {
  private static EvalPlan plan(String options) {
    EvalConfigLoader.Loaded loaded =
        EvalConfigLoader.parse(
            "model_specs { label_key: 'label' prediction_key: 'score' }\n"
                + "metrics_specs { metrics { class_name: 'FairnessIndicators'"
                + " config: '{\"thresholds\": [0.5]}' } metrics { class_name: 'AUC' } }\n"
                + "options { compute_confidence_intervals { value: true }"
                + " confidence_intervals { method: POISSON_BOOTSTRAP "
                + options
                + " } }\n",
            "c.pbtxt");
    return EvalPlan.create(loaded.config(), loaded.locations(), BadRecordPolicy.FAIL);
  }

  private static List<Example> rows() {
    SplittableRandom random = new SplittableRandom(25);
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int label = random.nextInt(2);
      float score = (float) Math.min(1, Math.max(0, 0.3 * label + random.nextDouble() * 0.7));
      rows.add(example("row", text("r" + i), "label", ints(label), "score", floats(score)));
    }
    return rows;
  }

  /** Overall's metrics after evaluating each of {@code files} (name, rows) in turn. */
  private static MetricsForSlice evaluate(
      EvalPlan plan, List<String> names, List<List<Example>> files) throws IOException {
    ModelAccumulators overall;
    try (RecordEvaluator evaluator = new RecordEvaluator(plan, RecordFormat.TFRECORD, null, null)) {
      for (int f = 0; f < files.size(); f++) {
        evaluator.evaluate(new ByteArrayInputStream(tfRecord(files.get(f))), names.get(f));
      }
      overall = evaluator.drain().slices().get(SliceKey.OVERALL);
    }
    return new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, overall).metrics();
  }

  /** Every metric's interval bounds, in key order. */
  private static List<Double> bounds(MetricsForSlice metrics) {
    List<Double> bounds = new ArrayList<>();
    metrics.getMetricKeysAndValuesList().stream()
        .filter(kv -> kv.hasConfidenceInterval())
        .sorted(java.util.Comparator.comparing(kv -> kv.getKey().getName()))
        .forEach(
            kv -> {
              bounds.add(kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue());
              bounds.add(kv.getConfidenceInterval().getUpperBound().getDoubleValue().getValue());
            });
    return bounds;
  }

  private static void assertClose(List<Double> expected, List<Double> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), 1e-9);
    }
  }

  @Test
  public void theSameRowsGiveTheSameIntervalsUnderAnyNameOrderAndSharding() throws IOException {
    List<Example> rows = rows();
    List<Example> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new java.util.Random(7));
    EvalPlan byId = plan("example_id_key: 'row'");
    List<Double> one = bounds(evaluate(byId, List.of("data.tfrecord"), List.of(rows)));
    List<Double> resharded =
        bounds(
            evaluate(
                byId,
                List.of("part-00000-of-00002", "part-00001-of-00002"),
                List.of(shuffled.subList(0, 120), shuffled.subList(120, 300))));
    assertEquals(22, one.size()); // ten rates and AUC
    assertClose(one, resharded);
    // Keyed by file name and position, the same change moves the intervals.
    EvalPlan byFile = plan("");
    assertNotEquals(
        bounds(evaluate(byFile, List.of("data.tfrecord"), List.of(rows))),
        bounds(evaluate(byFile, List.of("renamed.tfrecord"), List.of(rows))));
  }

  @Test
  public void aRecordWithoutItsIdIsABadRecord() {
    List<Example> rows = new ArrayList<>(rows());
    rows.add(example("label", ints(1), "score", floats(0.5f)));
    BadRecordException e =
        assertThrows(
            BadRecordException.class,
            () -> evaluate(plan("example_id_key: 'row'"), List.of("data.tfrecord"), List.of(rows)));
    assertEquals("example id 'row' missing", e.reason());
  }
}
