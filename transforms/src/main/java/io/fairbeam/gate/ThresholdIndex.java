package io.fairbeam.gate;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.fairbeam.metrics.Binarization;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.metrics.MetricRegistry;
import io.fairbeam.proto.tfma.AggregationType;
import io.fairbeam.proto.tfma.CrossSliceMetricThreshold;
import io.fairbeam.proto.tfma.CrossSlicingSpec;
import io.fairbeam.proto.tfma.EvalConfig;
import io.fairbeam.proto.tfma.MetricConfig;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricThreshold;
import io.fairbeam.proto.tfma.MetricsSpec;
import io.fairbeam.proto.tfma.PerSliceMetricThreshold;
import io.fairbeam.proto.tfma.PerSliceMetricThresholds;
import io.fairbeam.proto.tfma.SlicingSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every threshold of an EvalConfig, by the metric key it judges, as TFMA 0.52 collects them ({@code
 * metric_specs.metric_thresholds_from_metrics_specs}): from {@code MetricsSpec.thresholds}, {@code
 * per_slice_thresholds} and {@code cross_slice_thresholds} (keys without {@code example_weighted},
 * so they match only metrics computed without it, as in TFMA) and from each {@code MetricConfig}'s
 * {@code threshold}, {@code per_slice_thresholds} and {@code cross_slice_thresholds} (keys of the
 * metric's TFMA name, with the spec's weighting). A value threshold judges the key itself, a change
 * threshold the key's difference from the baseline ({@code is_diff}). The same threshold for the
 * same key and slicing spec is kept once.
 */
public final class ThresholdIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One threshold of a key: where it applies ({@code SlicingSpec}, {@code CrossSlicingSpec}, or
   * null for every slice that is not a cross slice) and what it demands ({@code
   * GenericValueThreshold} or {@code GenericChangeThreshold}).
   */
  public record Entry(Message spec, Message threshold) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The threshold as TFMA's {@code MetricThreshold} holds it, as a failure records it. */
    public MetricThreshold asMetricThreshold() {
      MetricThreshold.Builder t = MetricThreshold.newBuilder();
      if (threshold instanceof io.fairbeam.proto.tfma.GenericValueThreshold value) {
        t.setValueThreshold(value);
      } else {
        t.setChangeThreshold((io.fairbeam.proto.tfma.GenericChangeThreshold) threshold);
      }
      return t.build();
    }

    boolean isCross() {
      return spec instanceof CrossSlicingSpec;
    }

    /** TFMA's hashable form of the spec; the empty spec (Overall) for a threshold without one. */
    SlicingSpecIdentity specIdentity() {
      if (spec instanceof CrossSlicingSpec cross) {
        return SlicingSpecIdentity.of(cross);
      }
      return SlicingSpecIdentity.of(
          spec == null ? SlicingSpec.getDefaultInstance() : (SlicingSpec) spec);
    }
  }

  private final Map<MetricKey, List<Entry>> byKey;

  private ThresholdIndex(Map<MetricKey, List<Entry>> byKey) {
    this.byKey = byKey;
  }

  /**
   * The thresholds of {@code config}, whose models write metric keys with {@code modelNames} (the
   * empty name alone for a single model, as TFMA names it).
   */
  public static ThresholdIndex of(EvalConfig config, List<String> modelNames) {
    Builder builder = new Builder();
    boolean anyWeightKey =
        config.getModelSpecsList().stream().anyMatch(m -> !m.getExampleWeightKey().isEmpty());
    for (MetricsSpec spec : config.getMetricsSpecsList()) {
      List<MetricKey> subKeys = subKeysOf(spec);
      for (MetricKey subKey : subKeys) {
        for (Map.Entry<String, MetricThreshold> e : spec.getThresholdsMap().entrySet()) {
          for (String model : modelNames) {
            builder.add(key(e.getKey(), model, subKey, null), null, e.getValue());
          }
        }
        for (Map.Entry<String, PerSliceMetricThresholds> e :
            spec.getPerSliceThresholdsMap().entrySet()) {
          for (String model : modelNames) {
            builder.addPerSlice(
                key(e.getKey(), model, subKey, null), e.getValue().getThresholdsList());
          }
        }
        for (var e : spec.getCrossSliceThresholdsMap().entrySet()) {
          for (String model : modelNames) {
            builder.addCrossSlice(
                key(e.getKey(), model, subKey, null), e.getValue().getThresholdsList());
          }
        }
      }
    }
    for (MetricsSpec spec : config.getMetricsSpecsList()) {
      List<Boolean> weightings = new ArrayList<>();
      if (!spec.hasExampleWeights()) {
        weightings.add(anyWeightKey);
      } else {
        if (spec.getExampleWeights().getWeighted()) {
          weightings.add(true);
        }
        if (spec.getExampleWeights().getUnweighted()) {
          weightings.add(false);
        }
      }
      List<MetricKey> subKeys = subKeysOf(spec);
      for (MetricConfig metric : spec.getMetricsList()) {
        if (!metric.hasThreshold()
            && metric.getPerSliceThresholdsCount() == 0
            && metric.getCrossSliceThresholdsCount() == 0) {
          continue;
        }
        MetricDefinition definition =
            MetricRegistry.create(metric.getClassName(), metric.getConfig(), false);
        String name = definition.name();
        for (MetricKey subKey : variantsOf(spec, definition, subKeys)) {
          for (String model : modelNames) {
            for (boolean weighted : weightings) {
              MetricKey key = key(name, model, subKey, weighted);
              if (metric.hasThreshold()) {
                builder.add(key, null, metric.getThreshold());
              }
              builder.addPerSlice(key, metric.getPerSliceThresholdsList());
              builder.addCrossSlice(key, metric.getCrossSliceThresholdsList());
            }
          }
        }
      }
    }
    return new ThresholdIndex(builder.byKey);
  }

  /** Whether the config has no threshold at all. */
  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** The keys with thresholds, in config order. */
  public Set<MetricKey> keys() {
    return byKey.keySet();
  }

  /** The thresholds of {@code key}, in config order; empty if it has none. */
  public List<Entry> of(MetricKey key) {
    return byKey.getOrDefault(key, List.of());
  }

  /** Whether {@code config} has any threshold, value or change. */
  public static boolean anyThreshold(EvalConfig config) {
    for (MetricsSpec spec : config.getMetricsSpecsList()) {
      for (MetricThreshold t : allThresholds(spec)) {
        if (t.hasValueThreshold() || t.hasChangeThreshold()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether any threshold needs the difference from a baseline model. */
  public static boolean hasChangeThreshold(EvalConfig config) {
    for (MetricsSpec spec : config.getMetricsSpecsList()) {
      for (MetricThreshold t : allThresholds(spec)) {
        if (t.hasChangeThreshold()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a change threshold asks for its confidence bound: then a candidate's decisions are
   * paired with the baseline's, for the paired interval of a rate's change.
   */
  public static boolean hasChangeThresholdWithBound(EvalConfig config) {
    for (MetricsSpec spec : config.getMetricsSpecsList()) {
      for (MetricThreshold t : allThresholds(spec)) {
        if (t.hasChangeThreshold() && t.getChangeThreshold().getUseConfidenceBound()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every {@code MetricThreshold} of {@code spec}, in config order. */
  static List<MetricThreshold> allThresholds(MetricsSpec spec) {
    List<MetricThreshold> all = new ArrayList<>(spec.getThresholdsMap().values());
    spec.getPerSliceThresholdsMap()
        .values()
        .forEach(p -> p.getThresholdsList().forEach(t -> all.add(t.getThreshold())));
    spec.getCrossSliceThresholdsMap()
        .values()
        .forEach(c -> c.getThresholdsList().forEach(t -> all.add(t.getThreshold())));
    for (MetricConfig metric : spec.getMetricsList()) {
      if (metric.hasThreshold()) {
        all.add(metric.getThreshold());
      }
      metric.getPerSliceThresholdsList().forEach(t -> all.add(t.getThreshold()));
      metric.getCrossSliceThresholdsList().forEach(t -> all.add(t.getThreshold()));
    }
    return all;
  }

  /**
   * The sub-keys and aggregations {@code spec}'s metrics are keyed with ({@code binarize}, {@code
   * aggregate}), each as a key holding only them; the empty key alone when it has none.
   */
  private static List<MetricKey> subKeysOf(MetricsSpec spec) {
    return withOutputs(spec, Binarization.keyVariants(spec));
  }

  /**
   * {@code variants} for each output {@code spec} names, and, with {@code output_weights}, without
   * an output too (the output average); as they are when it names none.
   */
  private static List<MetricKey> withOutputs(MetricsSpec spec, List<MetricKey> variants) {
    if (spec.getOutputNamesCount() == 0) {
      return variants;
    }
    List<MetricKey> result = new ArrayList<>();
    for (String output : spec.getOutputNamesList()) {
      variants.forEach(v -> result.add(v.toBuilder().setOutputName(output).build()));
    }
    if (spec.getOutputWeightsCount() > 0) {
      result.addAll(variants);
    }
    return result;
  }

  /**
   * The sub-keys and aggregations {@code metric} of {@code spec} is keyed with: its own {@code
   * top_k} or {@code class_id} (merged into each of its spec's binarize sub-keys, or micro-averaged
   * when its spec micro-averages), else its spec's.
   */
  private static List<MetricKey> variantsOf(
      MetricsSpec spec, MetricDefinition metric, List<MetricKey> specVariants) {
    Binarization own = metric.ownBinarization();
    if (own == null) {
      return specVariants;
    }
    if (spec.hasBinarize()) {
      // Checked when the plan was made.
      return withOutputs(
          spec, Binarization.forMetric(spec, own).stream().map(Binarization::keyVariant).toList());
    }
    MetricKey variant = own.keyVariant();
    if (spec.hasAggregate() && spec.getAggregate().getMicroAverage()) {
      variant =
          variant.toBuilder()
              .setAggregationType(AggregationType.newBuilder().setMicroAverage(true))
              .build();
    }
    return withOutputs(spec, List.of(variant));
  }

  /** A metric key as TFMA builds it; {@code weighted} null leaves example_weighted unset. */
  static MetricKey key(String name, String model, Boolean weighted) {
    return key(name, model, MetricKey.getDefaultInstance(), weighted);
  }

  /**
   * As {@link #key(String, String, Boolean)}, with the sub-key and aggregation type of {@code
   * variant}.
   */
  static MetricKey key(String name, String model, MetricKey variant, Boolean weighted) {
    MetricKey.Builder key = variant.toBuilder().setName(name).setModelName(model);
    if (weighted != null) {
      key.setExampleWeighted(BoolValue.of(weighted));
    }
    return key.build();
  }

  private static final class Builder {
    private final Map<MetricKey, List<Entry>> byKey = new LinkedHashMap<>();
    private final Set<List<Object>> seen = new HashSet<>();

    void add(MetricKey key, Message spec, MetricThreshold threshold) {
      if (threshold.hasValueThreshold()) {
        addIfNew(key, spec, threshold.getValueThreshold());
      }
      if (threshold.hasChangeThreshold()) {
        addIfNew(key.toBuilder().setIsDiff(true).build(), spec, threshold.getChangeThreshold());
      }
    }

    void addPerSlice(MetricKey key, List<PerSliceMetricThreshold> thresholds) {
      for (PerSliceMetricThreshold t : thresholds) {
        for (SlicingSpec spec : t.getSlicingSpecsList()) {
          add(key, spec, t.getThreshold());
        }
      }
    }

    void addCrossSlice(MetricKey key, List<CrossSliceMetricThreshold> thresholds) {
      for (CrossSliceMetricThreshold t : thresholds) {
        for (CrossSlicingSpec spec : t.getCrossSlicingSpecsList()) {
          add(key, spec, t.getThreshold());
        }
      }
    }

    private void addIfNew(MetricKey key, Message spec, Message threshold) {
      Entry entry = new Entry(spec, threshold);
      ByteString bytes = threshold.toByteString();
      if (seen.add(List.of(key, spec == null ? "" : entry.specIdentity(), bytes))) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
      }
    }
  }
}
