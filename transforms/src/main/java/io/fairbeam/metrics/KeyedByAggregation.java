package io.fairbeam.metrics;

import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A metric keyed with its micro average's {@code aggregation_type} although TFMA 0.52 keys it
 * without one ({@link MetricDefinition#keyedByAggregation}), because without it its key would be
 * another metric's: TFMA's own default multi-class specs name both a sparse categorical and a
 * micro-averaged binary cross entropy {@code loss}, and TFMA writes one value for the two.
 */
@Internal
public final class KeyedByAggregation implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final MetricDefinition metric;

  public KeyedByAggregation(MetricDefinition metric) {
    this.metric = metric;
  }

  @Override
  public boolean keyedByAggregation() {
    return true;
  }

  @Override
  public String name() {
    return metric.name();
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    metric.declareNeeds(needs);
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    metric.compute(slice, sink);
  }

  @Override
  public List<String> metricKeys() {
    return metric.metricKeys();
  }

  @Override
  public boolean hasConfidenceInterval() {
    return metric.hasConfidenceInterval();
  }

  @Override
  public boolean comparesModels() {
    return metric.comparesModels();
  }

  @Override
  public void compare(PairedCounts paired, double[] thresholds, MetricSink sink) {
    metric.compare(paired, thresholds, sink);
  }

  @Override
  public boolean needsBinaryLabels() {
    return metric.needsBinaryLabels();
  }

  @Override
  public boolean readsLabelsOrPredictions() {
    return metric.readsLabelsOrPredictions();
  }

  @Override
  public boolean readsClasses() {
    return metric.readsClasses();
  }

  @Override
  public Binarization ownBinarization() {
    return metric.ownBinarization();
  }

  @Override
  public MetricDefinition underTopK() {
    MetricDefinition underTopK = metric.underTopK();
    return underTopK == metric ? this : new KeyedByAggregation(underTopK);
  }

  @Override
  public boolean takesClassWeights() {
    return metric.takesClassWeights();
  }

  @Override
  public boolean keyedByModel() {
    return metric.keyedByModel();
  }

  @Override
  public List<String> plotKeys() {
    return metric.plotKeys();
  }
}
