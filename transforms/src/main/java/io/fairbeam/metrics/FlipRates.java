package io.fairbeam.metrics;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's flip rates ({@code SymmetricFlipRate}, {@code NegToNegFlipRate}, {@code NegToPosFlipRate},
 * {@code PosToNegFlipRate}, {@code PosToPosFlipRate} and {@code BooleanFlipRates}, which writes the
 * five): how often a candidate model's decision at {@code threshold} differs from its baseline's on
 * the same example, per slice: where a model update changes decisions for one group more than
 * another. TFMA 0.52's semantics: a prediction is positive when it is above the threshold (default
 * 0.5); each rate is the (weighted) share of the slice's examples in one cell of baseline ×
 * candidate, the symmetric rate the two cells where they differ; keyed by the candidate's model
 * name with {@code is_diff}. Computed from the accumulators' {@link PairedCounts}, which the spec
 * then keeps for every replicate too, so the rates get confidence intervals like other metrics.
 */
@Internal
final class FlipRates extends ModelComparisonMetric {
  private static final long serialVersionUID = 1L;

  /** One rate: which cells of baseline × candidate it counts. */
  enum Kind {
    SYMMETRIC("symmetric_flip_rate"),
    NEG_TO_NEG("neg_to_neg_flip_rate"),
    NEG_TO_POS("neg_to_pos_flip_rate"),
    POS_TO_NEG("pos_to_neg_flip_rate"),
    POS_TO_POS("pos_to_pos_flip_rate");

    private final String defaultName;

    Kind(String defaultName) {
      this.defaultName = defaultName;
    }

    double of(FlipCounts c) {
      double counted =
          switch (this) {
            case SYMMETRIC -> c.negToPos() + c.posToNeg();
            case NEG_TO_NEG -> c.negToNeg();
            case NEG_TO_POS -> c.negToPos();
            case POS_TO_NEG -> c.posToNeg();
            case POS_TO_POS -> c.posToPos();
          };
      return counted / c.total();
    }
  }

  /** A rate written under a name. */
  private record Output(Kind kind, String name) implements java.io.Serializable {}

  private final List<Output> outputs;
  private final double threshold;
  private final boolean weighted;

  private FlipRates(List<Output> outputs, double threshold, boolean weighted) {
    this.outputs = List.copyOf(outputs);
    this.threshold = threshold;
    this.weighted = weighted;
  }

  /** One flip rate, from its {@code name} and {@code threshold} arguments. */
  static FlipRates one(Kind kind, MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse(kind.defaultName);
    return new FlipRates(List.of(new Output(kind, name)), threshold(args), weighted);
  }

  /**
   * {@code BooleanFlipRates}: the five rates, the symmetric one named {@code flip_rate}, each name
   * settable by its argument ({@code flip_rate_name}, {@code neg_to_neg_flip_rate_name}, ...).
   */
  static FlipRates all(MetricArgs args, boolean weighted) {
    List<Output> outputs = new ArrayList<>();
    outputs.add(new Output(Kind.SYMMETRIC, args.string("flip_rate_name").orElse("flip_rate")));
    for (Kind kind : List.of(Kind.NEG_TO_NEG, Kind.NEG_TO_POS, Kind.POS_TO_NEG, Kind.POS_TO_POS)) {
      outputs.add(
          new Output(kind, args.string(kind.defaultName + "_name").orElse(kind.defaultName)));
    }
    return new FlipRates(outputs, threshold(args), weighted);
  }

  private static double threshold(MetricArgs args) {
    List<Double> thresholds = args.thresholds("threshold").orElse(List.of(0.5));
    if (thresholds.size() != 1) {
      throw new MetricConfigException("a flip rate takes one threshold, got " + thresholds);
    }
    return thresholds.get(0);
  }

  @Override
  public String name() {
    return outputs.get(0).name();
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    super.declareNeeds(needs);
    needs.addThresholds(List.of(threshold));
  }

  @Override
  public void compare(PairedCounts paired, double[] thresholds, MetricSink sink) {
    FlipCounts counts = paired.flips(java.util.Arrays.binarySearch(thresholds, threshold));
    for (Output output : outputs) {
      sink.metric(output.name(), weighted, MetricValues.ofDouble(output.kind().of(counts)));
    }
  }

  @Override
  public List<String> metricKeys() {
    return outputs.stream().map(Output::name).toList();
  }
}
