package io.fairbeam.gate;

import io.fairbeam.proto.tfma.CrossSliceMetricThreshold;
import io.fairbeam.proto.tfma.CrossSliceMetricThresholds;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricConfig;
import io.fairbeam.proto.tfma.MetricThreshold;
import io.fairbeam.proto.tfma.MetricsSpec;
import io.fairbeam.proto.tfma.ModelSpec;
import io.fairbeam.proto.tfma.PerSliceMetricThreshold;
import io.fairbeam.proto.tfma.PerSliceMetricThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A first run, when there is no baseline model yet to compare with: TFX's "rubber stamp". As TFMA
 * does it ({@code update_eval_config_with_defaults(has_baseline=False)}), the baseline {@code
 * model_specs} and every change threshold are dropped; value thresholds still decide, and with none
 * left the model is blessed. The candidate keeps its name, so {@code --model NAME=PATH} still finds
 * it (its metric keys carry no model name, as for any single model).
 */
public final class RubberStamp {
  private RubberStamp() {}

  /** {@code config} without its baseline model and change thresholds. */
  public static EvalConfig withoutBaseline(EvalConfig config) {
    EvalConfig.Builder result = config.toBuilder().clearModelSpecs();
    List<String> baselines = new ArrayList<>();
    for (ModelSpec model : config.getModelSpecsList()) {
      if (model.getIsBaseline()) {
        baselines.add(model.getName());
      } else {
        result.addModelSpecs(model);
      }
    }
    result.clearMetricsSpecs();
    for (MetricsSpec spec : config.getMetricsSpecsList()) {
      MetricsSpec.Builder b = spec.toBuilder();
      List<String> names = new ArrayList<>(spec.getModelNamesList());
      names.removeAll(baselines);
      b.clearModelNames().addAllModelNames(names);
      for (Map.Entry<String, MetricThreshold> e : spec.getThresholdsMap().entrySet()) {
        b.putThresholds(e.getKey(), valueOnly(e.getValue()));
      }
      for (Map.Entry<String, PerSliceMetricThresholds> e :
          spec.getPerSliceThresholdsMap().entrySet()) {
        b.putPerSliceThresholds(e.getKey(), perSlice(e.getValue()));
      }
      for (Map.Entry<String, CrossSliceMetricThresholds> e :
          spec.getCrossSliceThresholdsMap().entrySet()) {
        b.putCrossSliceThresholds(e.getKey(), crossSlice(e.getValue()));
      }
      for (int i = 0; i < b.getMetricsCount(); i++) {
        MetricConfig.Builder metric = b.getMetricsBuilder(i);
        if (metric.hasThreshold()) {
          metric.setThreshold(valueOnly(metric.getThreshold()));
        }
        for (int j = 0; j < metric.getPerSliceThresholdsCount(); j++) {
          PerSliceMetricThreshold.Builder t = metric.getPerSliceThresholdsBuilder(j);
          t.setThreshold(valueOnly(t.getThreshold()));
        }
        for (int j = 0; j < metric.getCrossSliceThresholdsCount(); j++) {
          CrossSliceMetricThreshold.Builder t = metric.getCrossSliceThresholdsBuilder(j);
          t.setThreshold(valueOnly(t.getThreshold()));
        }
      }
      result.addMetricsSpecs(b);
    }
    return result.build();
  }

  private static MetricThreshold valueOnly(MetricThreshold threshold) {
    return threshold.toBuilder().clearChangeThreshold().build();
  }

  private static PerSliceMetricThresholds perSlice(PerSliceMetricThresholds thresholds) {
    PerSliceMetricThresholds.Builder b = thresholds.toBuilder();
    for (int i = 0; i < b.getThresholdsCount(); i++) {
      PerSliceMetricThreshold.Builder t = b.getThresholdsBuilder(i);
      t.setThreshold(valueOnly(t.getThreshold()));
    }
    return b.build();
  }

  private static CrossSliceMetricThresholds crossSlice(CrossSliceMetricThresholds thresholds) {
    CrossSliceMetricThresholds.Builder b = thresholds.toBuilder();
    for (int i = 0; i < b.getThresholdsCount(); i++) {
      CrossSliceMetricThreshold.Builder t = b.getThresholdsBuilder(i);
      t.setThreshold(valueOnly(t.getThreshold()));
    }
    return b.build();
  }
}
