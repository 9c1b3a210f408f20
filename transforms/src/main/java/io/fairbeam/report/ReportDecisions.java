package io.fairbeam.report;

import io.fairbeam.eval.DecisionCounts;
import io.fairbeam.eval.DecisionTests;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.io.ResultFiles;
import io.fairbeam.proto.AucEstimate;
import io.fairbeam.proto.PairedChange;
import io.fairbeam.proto.ReportDecision;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.SliceKey;
import io.fairbeam.stats.Bounds;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.PairedDifferenceInterval;
import io.fairbeam.stats.Proportion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A slice's decision interval as the report and the terminal show it, computed from the counts a
 * result's {@code fairbeam_decisions} file holds, with the run's settings.
 */
public final class ReportDecisions {
  private ReportDecisions() {}

  /**
   * The decision intervals of the slices of {@code directory} that {@code wanted} accepts, by slice
   * key, model name and metric name (a model's change from the baseline under the name with {@link
   * #DIFF_SUFFIX}), computed with the settings of {@code run} (the result's run summary): only for
   * those slices, as a Clopper-Pearson interval costs about 12 µs. Empty for a result without
   * decision counts (TFMA's own).
   *
   * @throws IOException naming the file when the settings or a record do not hold together
   */
  public static Map<SliceKey, Map<String, Map<String, ReportDecision>>> read(
      Path directory, RunSummary run, Predicate<SliceKey> wanted) throws IOException {
    DecisionTests tests;
    try {
      tests = DecisionTests.of(run.getDecisionIntervals());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          directory.resolve(ResultFiles.RUN_SUMMARY) + ": decision_intervals: " + e.getMessage(),
          e);
    }
    List<MetricKey> rateKeys = run.getDecisionIntervals().getRatesList();
    SeriesNames names = SeriesNames.of(run);
    Map<SliceKey, Map<String, Map<String, ReportDecision>>> result = new LinkedHashMap<>();
    EvalResultReader.forEachDecisionCounts(
        directory,
        record -> {
          if (!wanted.test(record.getSliceKey())) {
            return;
          }
          Map<MetricKey, Proportion> rates;
          try {
            rates = DecisionCounts.rates(record, rateKeys);
          } catch (IllegalArgumentException e) {
            throw new IOException(
                directory.resolve(ResultFiles.DECISIONS_PREFIX + "-*.tfrecord")
                    + ": the record of "
                    + io.fairbeam.slice.SliceKey.fromProto(record.getSliceKey())
                    + ": "
                    + e.getMessage(),
                e);
          }
          Map<String, Map<String, ReportDecision>> byModel =
              result.computeIfAbsent(record.getSliceKey(), k -> new LinkedHashMap<>());
          for (Map.Entry<MetricKey, Proportion> rate : rates.entrySet()) {
            byModel
                .computeIfAbsent(names.of(rate.getKey()), k -> new LinkedHashMap<>())
                .put(rate.getKey().getName(), of(rate.getValue(), tests));
          }
          for (AucEstimate auc : record.getAucsList()) {
            byModel
                .computeIfAbsent(names.of(auc.getMetricKey()), k -> new LinkedHashMap<>())
                .put(auc.getMetricKey().getName(), of(auc, tests));
          }
          for (PairedChange change : record.getChangesList()) {
            byModel
                .computeIfAbsent(names.of(change.getMetricKey()), k -> new LinkedHashMap<>())
                .put(change.getMetricKey().getName() + DIFF_SUFFIX, of(change, tests));
          }
        });
    return result;
  }

  /** The suffix of a model's change in the names {@link #read} gives: TFMA's loader's. */
  public static final String DIFF_SUFFIX = "_diff";

  /** A model's change in a rate on the same examples, from the two models' decisions. */
  public static ReportDecision of(PairedChange change, DecisionTests tests) {
    PairedDifferenceInterval.Table t = DecisionCounts.table(change);
    ReportDecision.Builder d =
        ReportDecision.newBuilder()
            .setCount(t.n())
            .setOnlyCandidate(t.onlyFirst())
            .setOnlyBaseline(t.onlySecond());
    if (!(t.n() > 0)) {
      return d.setValue(Double.NaN).setMissing("no examples behind the rate").build();
    }
    Bounds b = PairedDifferenceInterval.of(t, tests.level());
    return d.setValue(t.difference())
        .setLowerBound(rounded(b.lower()))
        .setUpperBound(rounded(b.upper()))
        .build();
  }

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
