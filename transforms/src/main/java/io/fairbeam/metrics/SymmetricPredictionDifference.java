package io.fairbeam.metrics;

import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's {@code SymmetricPredictionDifference}: how far a candidate's predictions move from its
 * baseline's on the same examples, the (weighted) mean of 2|b − c| / |b + c| over a slice's
 * examples (0 where both predictions are below 1e-7), keyed as the candidate's difference. From the
 * accumulators' {@link PairedCounts}, kept for every replicate too, so it gets an interval.
 */
@Internal
final class SymmetricPredictionDifference extends ModelComparisonMetric {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final boolean weighted;

  SymmetricPredictionDifference(MetricArgs args, boolean weighted) {
    this.name = args.string("name").orElse("symmetric_prediction_difference");
    this.weighted = weighted;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void compare(PairedCounts paired, double[] thresholds, MetricSink sink) {
    sink.metric(name, weighted, MetricValues.ofDouble(paired.symmetricPredictionDifference()));
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }
}
