package io.fairbeam.metrics;

import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A read-only view of one slice's finished {@link SliceAccumulator}, with the derived confusion
 * counts cached so that metrics sharing them (the ten Fairness Indicators at a threshold, AUC and
 * AUC-PR over the same 10,000 thresholds) compute them once.
 */
@Internal
public final class SliceStatistics {
  private final SliceAccumulator accumulator;
  private ConfusionCounts[] exactCounts;
  private ConfusionCounts[] scoreCounts;
  private final Map<List<Double>, ConfusionCounts[]> histogramCounts = new HashMap<>();

  public SliceStatistics(SliceAccumulator accumulator) {
    this.accumulator = accumulator;
  }

  public SliceAccumulator accumulator() {
    return accumulator;
  }

  /** Exact counts at {@code threshold}, which a metric must have declared. */
  public ConfusionCounts countsAt(double threshold) {
    ThresholdCounts counts = accumulator.thresholdCounts();
    int index = counts == null ? -1 : counts.indexOf(threshold);
    if (index < 0) {
      throw new IllegalStateException("Threshold " + threshold + " was not accumulated");
    }
    if (exactCounts == null) {
      exactCounts = counts.counts();
    }
    return exactCounts[index];
  }

  /**
   * {@code rate} as a share of examples weighing {@code denominator}: its effective number is the
   * denominator scaled by the slice's Σw / Σw², which is exact without example weights and, with
   * them, assumes the examples behind the rate carry weights like the slice's (Kish).
   */
  public Proportion proportion(double rate, double denominator) {
    double squares = accumulator.weightSquareSum();
    if (!(denominator > 0) || !(squares > 0) || Double.isNaN(rate)) {
      return new Proportion(Double.NaN, 0);
    }
    double n = denominator * accumulator.weightedExampleCount() / squares;
    return new Proportion(Math.min(1, Math.max(0, rate)), n);
  }

  /**
   * The AUC of the calibration histogram's buckets with DeLong's variance, its counts scaled by Σw
   * / Σw² as {@link #proportion}'s are (Kish's effective numbers); with fewer than two positives or
   * negatives, an estimate of NaN with the counts.
   */
  public DeLongAucInterval.Estimate deLong() {
    CalibrationHistogram histogram = accumulator.histogram();
    double squares = accumulator.weightSquareSum();
    if (histogram == null || !(squares > 0)) {
      return new DeLongAucInterval.Estimate(Double.NaN, Double.NaN, 0, 0);
    }
    double factor = accumulator.weightedExampleCount() / squares;
    CalibrationHistogram.Bucket[] buckets = histogram.sortedBuckets();
    double[] positives = new double[buckets.length];
    double[] negatives = new double[buckets.length];
    double m = 0;
    double n = 0;
    for (int b = 0; b < buckets.length; b++) {
      positives[b] = buckets[b].weightedLabel() * factor;
      negatives[b] = (buckets[b].weight() - buckets[b].weightedLabel()) * factor;
      m += positives[b];
      n += negatives[b];
    }
    DeLongAucInterval.Estimate estimate = DeLongAucInterval.estimate(positives, negatives);
    return estimate != null
        ? estimate
        : new DeLongAucInterval.Estimate(Double.NaN, Double.NaN, m, n);
  }

  /** Exact counts at the score thresholds, each example's score taken as its label. */
  public ConfusionCounts[] scoreCounts() {
    ThresholdCounts counts = accumulator.scoreCounts();
    if (counts == null) {
      throw new IllegalStateException("Score counts were not accumulated");
    }
    if (scoreCounts == null) {
      scoreCounts = counts.counts();
    }
    return scoreCounts;
  }

  /** Counts at {@code thresholds} derived from the calibration histogram, as TFMA does. */
  public ConfusionCounts[] histogramCountsAt(double[] thresholds) {
    CalibrationHistogram histogram = accumulator.histogram();
    if (histogram == null) {
      throw new IllegalStateException("The calibration histogram was not accumulated");
    }
    List<Double> key = java.util.Arrays.stream(thresholds).boxed().toList();
    return histogramCounts.computeIfAbsent(key, k -> histogram.confusionCountsAt(thresholds));
  }
}
