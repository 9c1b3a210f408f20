package io.fairbeam.metrics;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * One configured metric (a {@code MetricConfig} of the EvalConfig): it declares the keys it writes
 * and what the shared per-slice accumulator must collect for it, and derives its values from that
 * accumulator.
 */
@Internal
public interface MetricDefinition extends Serializable {
  /**
   * TFMA's name of this metric instance (its {@code name} argument, else the class's default): the
   * metric key a {@code MetricConfig}'s thresholds are attached to.
   */
  String name();

  /** Declares the thresholds and histograms this metric needs. */
  void declareNeeds(AccumulatorSpec.Builder needs);

  /** Derives this metric's values (and plots) for one slice, under {@link #metricKeys()}. */
  void compute(SliceStatistics slice, MetricSink sink);

  /** The metric keys {@link #compute} writes, in order (TFMA's names). */
  List<String> metricKeys();

  /**
   * Whether this metric's values get confidence intervals when the config asks for them; as in
   * TFMA, every metric but ExampleCount (and its weighted form) does.
   */
  default boolean hasConfidenceInterval() {
    return true;
  }

  /**
   * Whether this metric compares a candidate model with its baseline ({@link #compare}) rather than
   * describing one model; it then needs a baseline model and the spec's paired counts.
   */
  default boolean comparesModels() {
    return false;
  }

  /**
   * Writes this metric for one candidate from how its decisions pair with the baseline's on the
   * slice's examples; {@code thresholds} are the spec's. Only for {@link #comparesModels()}.
   */
  default void compare(PairedCounts paired, double[] thresholds, MetricSink sink) {}

  /**
   * Whether this metric needs TFMA's binary labels (0/1, or a probability in [0, 1]); a regression
   * metric, a count or a mean takes any finite label.
   */
  default boolean needsBinaryLabels() {
    return true;
  }

  /**
   * Whether this metric reads labels or predictions; a count reads only weights, so it is the one
   * kind a multi-class model computes without a {@code binarize} sub-key.
   */
  default boolean readsLabelsOrPredictions() {
    return true;
  }

  /**
   * Whether this metric reads a multi-class model's classes (its label class and its scores for
   * every class) rather than a binary example: it is computed once per model, never per {@code
   * binarize} sub-key, and makes the model multi-class.
   */
  default boolean readsClasses() {
    return false;
  }

  /**
   * The binarization this metric's own arguments ask for ({@code top_k}, {@code class_id}), which
   * replaces its spec's for it; null when it has none.
   */
  default Binarization ownBinarization() {
    return null;
  }

  /**
   * This metric as computed under a {@code top_k} sub-key: with TFMA's default threshold there
   * (−inf) where it takes a threshold and none was given.
   */
  default MetricDefinition underTopK() {
    return this;
  }

  /**
   * Whether TFMA 0.52 keys this metric with the {@code aggregation_type} of a micro average it is
   * computed under: only its confusion-matrix metrics do ({@code confusion_matrix_metrics.py}); its
   * other metrics (calibration, cross entropy, Fairness Indicators) leave it out of the key.
   */
  default boolean keyedByAggregation() {
    return false;
  }

  /**
   * Whether this metric takes a micro average's {@code class_weights}; TFMA 0.52 refuses a spec
   * that gives class weights to one that does not (counts, model comparisons).
   */
  default boolean takesClassWeights() {
    return true;
  }

  /**
   * Whether this metric's keys carry its model, output and sub-key; TFMA's {@code Mean} keys carry
   * none, and it is computed once per slice ({@link FeatureMean}).
   */
  default boolean keyedByModel() {
    return true;
  }

  /** The plot keys {@link #compute} writes; none for a metric that is not a plot. */
  default List<String> plotKeys() {
    return List.of();
  }
}
