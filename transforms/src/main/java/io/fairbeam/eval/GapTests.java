package io.fairbeam.eval;

import io.fairbeam.metrics.Interval;
import io.fairbeam.metrics.IntervalEstimator;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.GapSide;
import io.fairbeam.proto.GapTest;
import io.fairbeam.stats.AucScoreInterval;
import io.fairbeam.stats.Bounds;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.KoopmanRatioInterval;
import io.fairbeam.stats.NewcombeDifferenceInterval;
import io.fairbeam.stats.Proportion;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The test behind a disparity's "significant": of the slices with at least {@link
 * DecisionTests#minCount} examples behind the metric, the pair whose gap their decision intervals
 * support best, compared from their counts when the metric is a rate (an interval per side,
 * Newcombe's interval of the difference and the p-value that inverts it, Koopman's interval of the
 * ratio), from the score intervals of a ROC AUC (MOVER's difference and ratio), and from their
 * paired replicates otherwise. A slice below the count is shown but never one side, so a group of
 * four examples cannot head the findings however extreme its value.
 */
final class GapTests {
  /** {@link GapTest#getMethod()} of a rate judged from its counts. */
  static final String SCORE = "score";

  /** {@link GapTest#getMethod()} of a ROC AUC judged from its score intervals. */
  static final String AUC_SCORE = "auc-score";

  /** {@link GapTest#getMethod()} of another metric judged from paired replicates. */
  static final String REPLICATES = "replicates";

  /** {@link GapTest#getMethod()} of a metric that is not a rate, in a run without intervals. */
  static final String NONE = "none";

  private GapTests() {}

  /**
   * Sets {@code result}'s test and unadjusted p-value from {@code slices}' tested extremes when
   * there are two (method {@value #NONE}, and no p-value, when the metric cannot be tested); leaves
   * both unset when fewer than two slices have enough examples.
   */
  static void test(
      DisparitySummary.Extremes slices,
      DecisionTests decisions,
      IntervalEstimator estimator,
      Disparity.Builder result) {
    if (slices.testedCount() < 2) {
      return;
    }
    DisparitySummary.Extreme[] pair = pair(slices.surelyHighest(), slices.surelyLowest());
    DisparitySummary.Extreme high = pair[0];
    DisparitySummary.Extreme low = pair[1];
    double pairs = slices.testedCount() * (slices.testedCount() - 1) / 2.0;
    GapTest.Builder test =
        GapTest.newBuilder()
            .setSliceCount(Math.toIntExact(slices.testedCount()))
            .setMinCount(decisions.minCount());
    double p;
    if (high.proportion() != null && low.proportion() != null) {
      Proportion a = high.proportion();
      Proportion b = low.proportion();
      Bounds difference = NewcombeDifferenceInterval.of(a, b, decisions.level());
      Bounds ratio = KoopmanRatioInterval.of(b, a, decisions.level());
      test.setMethod(SCORE)
          .setHigh(side(high, decisions.interval(a)))
          .setLow(side(low, decisions.interval(b)))
          .setDifference(estimate(high.value() - low.value(), difference))
          .setRatio(
              high.value() == 0
                  ? Estimate.newBuilder().setValue(Double.NaN).build()
                  : estimate(low.value() / high.value(), ratio));
      p = NewcombeDifferenceInterval.pValue(a, b);
    } else if (high.auc() != null && low.auc() != null) {
      DeLongAucInterval.Estimate a = high.auc();
      DeLongAucInterval.Estimate b = low.auc();
      Bounds difference =
          AucScoreInterval.difference(
              a.auc(),
              a.positives(),
              a.negatives(),
              b.auc(),
              b.positives(),
              b.negatives(),
              decisions.level());
      Bounds ratio =
          AucScoreInterval.ratio(
              b.auc(),
              b.positives(),
              b.negatives(),
              a.auc(),
              a.positives(),
              a.negatives(),
              decisions.level());
      double ratioValue = high.value() == 0 ? Double.NaN : low.value() / high.value();
      test.setMethod(AUC_SCORE)
          .setHigh(side(high, new Bounds(high.lowerBound(), high.upperBound())))
          .setLow(side(low, new Bounds(low.lowerBound(), low.upperBound())))
          .setDifference(estimate(high.value() - low.value(), difference))
          .setRatio(
              ratio == null
                  ? Estimate.newBuilder().setValue(ratioValue).build()
                  : estimate(ratioValue, ratio));
      p =
          AucScoreInterval.pValue(
              a.auc(), a.positives(), a.negatives(), b.auc(), b.positives(), b.negatives());
    } else if (estimator != null && high.replicates() != null && low.replicates() != null) {
      double[] differences = new double[estimator.replicates()];
      double[] ratios = new double[estimator.replicates()];
      boolean ratioFinite = true;
      for (int r = 0; r < differences.length; r++) {
        differences[r] = high.replicates()[r] - low.replicates()[r];
        ratios[r] =
            high.replicates()[r] == 0 ? Double.NaN : low.replicates()[r] / high.replicates()[r];
        ratioFinite &= Double.isFinite(ratios[r]);
      }
      Interval difference = estimator.interval(high.around() - low.around(), differences);
      test.setMethod(REPLICATES)
          .setHigh(side(high, null))
          .setLow(side(low, null))
          .setDifference(
              shifted(high.value() - low.value(), high.around() - low.around(), difference));
      double ratio = high.value() == 0 ? Double.NaN : low.value() / high.value();
      if (ratioFinite && high.around() != 0 && Double.isFinite(ratio)) {
        double around = low.around() / high.around();
        test.setRatio(shifted(ratio, around, estimator.interval(around, ratios)));
      } else {
        test.setRatio(Estimate.newBuilder().setValue(ratio));
      }
      p = twoSidedP(high.value() - low.value(), difference);
    } else {
      test.setMethod(NONE)
          .setHigh(side(high, null))
          .setLow(side(low, null))
          .setDifference(Estimate.newBuilder().setValue(high.value() - low.value()))
          .setRatio(
              Estimate.newBuilder()
                  .setValue(high.value() == 0 ? Double.NaN : low.value() / high.value()));
      p = Double.NaN;
    }
    result.setTest(test);
    result.setPValue(Double.isNaN(p) ? p : Math.min(1, pairs * p));
  }

  /**
   * The two slices whose gap the decision intervals support best: the surely highest against the
   * surely lowest (the largest lower bound minus the smallest upper bound), two distinct slices,
   * the one with the higher value first. A slice from a handful of examples has wide bounds, so it
   * is compared only where its counts stand out.
   */
  static DisparitySummary.Extreme[] pair(
      List<DisparitySummary.Extreme> highest, List<DisparitySummary.Extreme> lowest) {
    DisparitySummary.Extreme[] best = null;
    double bestGap = Double.NEGATIVE_INFINITY;
    for (DisparitySummary.Extreme h : highest) {
      for (DisparitySummary.Extreme l : lowest) {
        if (h.slice().equals(l.slice())) {
          continue;
        }
        double gap = h.lowerBound() - l.upperBound();
        if (best == null || gap > bestGap) {
          best = new DisparitySummary.Extreme[] {h, l};
          bestGap = gap;
        }
      }
    }
    if (best[0].value() < best[1].value()) {
      best = new DisparitySummary.Extreme[] {best[1], best[0]};
    }
    return best;
  }

  private static GapSide side(DisparitySummary.Extreme extreme, Bounds interval) {
    GapSide.Builder side =
        GapSide.newBuilder().setSlice(extreme.slice().toProto()).setCount(extreme.count());
    side.setValue(
        interval == null
            ? Estimate.newBuilder().setValue(extreme.value()).build()
            : estimate(extreme.value(), interval));
    return side.build();
  }

  private static Estimate estimate(double value, Bounds bounds) {
    return Estimate.newBuilder()
        .setValue(value)
        .setHasInterval(true)
        .setLowerBound(bounds.lower())
        .setUpperBound(bounds.upper())
        .build();
  }

  /** A replicate interval computed around {@code centre}, moved to {@code value}. */
  static Estimate shifted(double value, double centre, Interval interval) {
    double shift = value - centre;
    return Estimate.newBuilder()
        .setValue(value)
        .setHasInterval(true)
        .setLowerBound(interval.lower() + shift)
        .setUpperBound(interval.upper() + shift)
        .setStandardError(interval.standardError())
        .setDegreesOfFreedom(interval.degreesOfFreedom())
        .build();
  }

  /**
   * The two-sided p-value of {@code value} = 0 given its interval's standard error and dof; NaN
   * when the replicates do not vary (e.g. an FPR of 1 from three negatives stays 1 in every
   * replicate): resampling so few examples cannot measure the spread, which is no evidence.
   */
  private static double twoSidedP(double value, Interval interval) {
    if (!(interval.standardError() > 0) || !Double.isFinite(value)) {
      return Double.NaN;
    }
    double t = Math.abs(value / interval.standardError());
    TDistribution distribution = new TDistribution(null, interval.degreesOfFreedom(), 1e-15);
    return 2 * distribution.cumulativeProbability(-t);
  }
}
