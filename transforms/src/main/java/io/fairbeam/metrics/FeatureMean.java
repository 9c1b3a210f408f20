package io.fairbeam.metrics;

import com.google.protobuf.DoubleValue;
import io.fairbeam.proto.tfma.MetricValue;
import java.util.List;

/**
 * TFMA's {@code Mean}: the weighted mean of a numeric feature ({@code feature_key_path} {@code
 * ["features", name]}), each example weighed by another feature ({@code example_weights_key_path}
 * {@code ["features", name]}) or 1. As TFMA keys it, its key carries no model, output or sub-key,
 * and is {@code example_weighted} exactly when a weight path is given; it is computed once per
 * slice, whatever the models. A record whose feature is missing or not one number is a bad record
 * (TFMA fails the run on it).
 */
final class FeatureMean implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String feature;

  /** The weighing feature, or "" for a weight of 1. */
  private final String weight;

  private FeatureMean(String name, String feature, String weight) {
    this.name = name;
    this.feature = feature;
    this.weight = weight;
  }

  /**
   * From TFMA's arguments: {@code feature_key_path}, {@code example_weights_key_path} and {@code
   * name} (default {@code mean_features.NAME}, TFMA's {@code mean_} and the joined path).
   */
  static FeatureMean fromArgs(MetricArgs args, boolean weighted) {
    List<String> path =
        args.strings("feature_key_path")
            .orElseThrow(
                () ->
                    new MetricConfigException(
                        "Mean needs the argument \"feature_key_path\", e.g. [\"features\", \"age\"]"));
    String feature = featureOf(path, "feature_key_path");
    String weight =
        args.strings("example_weights_key_path")
            .map(p -> featureOf(p, "example_weights_key_path"))
            .orElse("");
    String name = args.string("name").orElse("mean_" + String.join(".", path));
    return new FeatureMean(name, feature, weight);
  }

  /** The feature a key path names: only {@code ["features", name]} is read from examples. */
  private static String featureOf(List<String> path, String argument) {
    if (path.size() != 2 || !path.get(0).equals("features") || path.get(1).isEmpty()) {
      throw new MetricConfigException(
          "Mean's "
              + argument
              + " "
              + path
              + " is not supported; Fairbeam reads [\"features\", NAME], a feature of the examples");
    }
    return path.get(1);
  }

  /** The feature averaged. */
  String feature() {
    return feature;
  }

  /** The feature weighing each example, or "" for 1. */
  String weight() {
    return weight;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addFeatureMean(feature, weight);
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    SliceAccumulator acc = slice.accumulator();
    int i = acc.spec().featureMean(feature, weight);
    double total = acc.featureMeanWeight(i);
    double value = total == 0 ? Double.NaN : acc.featureMeanSum(i) / total;
    sink.metric(
        name,
        !weight.isEmpty(),
        MetricValue.newBuilder().setDoubleValue(DoubleValue.of(value)).build());
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }

  @Override
  public boolean readsLabelsOrPredictions() {
    return false;
  }

  @Override
  public boolean needsBinaryLabels() {
    return false;
  }

  @Override
  public boolean takesClassWeights() {
    return false;
  }

  @Override
  public boolean keyedByModel() {
    return false;
  }
}
