package io.fairbeam.report;

import io.fairbeam.eval.DecisionTests;
import io.fairbeam.proto.AucEstimate;
import io.fairbeam.proto.ReportDecision;
import io.fairbeam.stats.Bounds;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;

/**
 * A slice's decision interval as the report and the terminal show it, computed from the counts a
 * result's {@code fairbeam_decisions} file holds, with the run's settings.
 */
public final class ReportDecisions {
  private ReportDecisions() {}

  /** A rate's interval from its counts; a rate of nothing says so. */
  public static ReportDecision of(Proportion p, DecisionTests tests) {
    ReportDecision.Builder d = ReportDecision.newBuilder().setValue(p.estimate()).setCount(p.n());
    if (p.n() == 0) {
      return d.setMissing("no examples behind the rate").build();
    }
    Bounds b = tests.interval(p);
    return d.setLowerBound(rounded(b.lower())).setUpperBound(rounded(b.upper())).build();
  }

  /** An AUC's interval from its estimate; one the method cannot bound says why. */
  public static ReportDecision of(AucEstimate auc, DecisionTests tests) {
    ReportDecision.Builder d =
        ReportDecision.newBuilder()
            .setValue(rounded(auc.getAuc()))
            .setCount(rounded(auc.getPositives()))
            .setNegatives(rounded(auc.getNegatives()));
    Bounds b =
        tests.aucInterval(
            new DeLongAucInterval.Estimate(
                auc.getAuc(), auc.getVariance(), auc.getPositives(), auc.getNegatives()));
    if (b == null) {
      return d.setMissing("fewer than two positives or negatives").build();
    }
    return d.setLowerBound(rounded(b.lower())).setUpperBound(rounded(b.upper())).build();
  }

  /** {@code x} to 6 significant digits: what a page shows (4) with room, in fewer bytes. */
  static double rounded(double x) {
    if (!Double.isFinite(x) || x == 0) {
      return x;
    }
    return new java.math.BigDecimal(x)
        .round(new java.math.MathContext(6, java.math.RoundingMode.HALF_EVEN))
        .doubleValue();
  }
}
