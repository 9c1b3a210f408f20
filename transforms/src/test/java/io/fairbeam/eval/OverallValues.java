package io.fairbeam.eval;

import static io.fairbeam.extract.TestExamples.tfRecord;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support: the Overall slice's scalar metric values after evaluating examples with a plan,
 * keyed {@code name|output/sub-key} in short form ({@code recall|classId:2}, {@code
 * precision|income/}, {@code recall|topK:2micro}, {@code precision|classId:0,topK:2}).
 */
final class OverallValues {
  private OverallValues() {}

  /** The plan of {@code config}, a config file named {@code c.pbtxt}. */
  static EvalPlan plan(String config, BadRecordPolicy policy) {
    EvalConfigLoader.Loaded loaded = EvalConfigLoader.parse(config, "c.pbtxt");
    return EvalPlan.create(loaded.config(), loaded.locations(), policy);
  }

  /** Evaluates {@code rows}; bad records go to {@code badRecords} (null: the run fails). */
  static Map<String, Double> of(EvalPlan plan, List<Example> rows, List<BadRecord> badRecords)
      throws IOException {
    ModelAccumulators overall = drain(plan, rows, badRecords).slices().get(SliceKey.OVERALL);
    MetricsForSlice metrics =
        new SliceMetricsComputer(plan).compute(SliceKey.OVERALL, overall).metrics();
    Map<String, Double> values = new LinkedHashMap<>();
    for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
      values.put(name(kv.getKey()), kv.getValue().getDoubleValue().getValue());
    }
    return values;
  }

  /**
   * What evaluating {@code rows} as one TFRecord file leaves: every slice's accumulators and the
   * run's counts; bad records go to {@code badRecords} (null: the run fails).
   */
  static RecordEvaluator.Drained drain(
      EvalPlan plan, List<Example> rows, List<BadRecord> badRecords) throws IOException {
    try (RecordEvaluator evaluator =
        new RecordEvaluator(
            plan, RecordFormat.TFRECORD, null, badRecords == null ? null : badRecords::add)) {
      evaluator.evaluate(new ByteArrayInputStream(tfRecord(rows)), "rows.tfrecord");
      return evaluator.drain();
    }
  }

  /** The Overall slice's accumulators after evaluating {@code rows}, which must all be usable. */
  static ModelAccumulators overall(EvalPlan plan, List<Example> rows) throws IOException {
    return drain(plan, rows, null).slices().get(SliceKey.OVERALL);
  }

  /** A key in the short form of {@link #of}. */
  static String name(MetricKey key) {
    SubKey sub = key.getSubKey();
    String subKey =
        sub.hasClassId()
            ? "classId:" + sub.getClassId().getValue()
            : sub.hasK() ? "k:" + sub.getK().getValue() : "";
    if (sub.hasTopK()) {
      subKey += (subKey.isEmpty() ? "" : ",") + "topK:" + sub.getTopK().getValue();
    }
    if (key.getAggregationType().getMacroAverage()) {
      subKey += "macro";
    }
    if (key.getAggregationType().getMicroAverage()) {
      subKey += "micro";
    }
    String output = key.getOutputName().isEmpty() ? "" : key.getOutputName() + "/";
    return key.getName() + "|" + output + subKey;
  }
}
