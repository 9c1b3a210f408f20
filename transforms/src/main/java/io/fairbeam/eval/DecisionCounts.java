package io.fairbeam.eval;

import io.fairbeam.proto.AucEstimate;
import io.fairbeam.proto.DecisionCountsForSlice;
import io.fairbeam.proto.PairedChange;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.PairedDifferenceInterval;
import io.fairbeam.stats.Proportion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A slice's decision-interval inputs as Fairbeam writes them ({@code DecisionCountsForSlice}): the
 * counts behind each rate, positionally in the run's order of rate keys ({@link
 * SliceMetricsComputer#rateKeys()}, recorded in the run summary), and each AUC with its positives
 * and negatives, from which a reader computes the bounds with the run's {@link DecisionTests}.
 */
@Internal
public final class DecisionCounts {
  private DecisionCounts() {}

  /**
   * The record of {@code values} with its rates in the order of {@code rateKeys} (a rate the slice
   * lacks as NaN of 0) and its paired {@code changes}; null when the slice has no rate and no AUC
   * (or is hidden).
   */
  public static DecisionCountsForSlice of(
      SliceValues values,
      Map<MetricKey, PairedDifferenceInterval.Table> changes,
      List<MetricKey> rateKeys) {
    if (values.suppressed() || (values.proportions().isEmpty() && values.aucs().isEmpty())) {
      return null;
    }
    DecisionCountsForSlice.Builder record =
        DecisionCountsForSlice.newBuilder().setSliceKey(values.key().toProto());
    for (MetricKey key : rateKeys) {
      Proportion p = values.proportions().get(key);
      record.addRates(p == null || p.n() == 0 ? Double.NaN : p.estimate());
      record.addCounts(p == null ? 0 : p.n());
    }
    for (Map.Entry<MetricKey, DeLongAucInterval.Estimate> auc : values.aucs().entrySet()) {
      DeLongAucInterval.Estimate e = auc.getValue();
      record.addAucs(
          AucEstimate.newBuilder()
              .setMetricKey(auc.getKey())
              .setAuc(e.auc())
              .setVariance(e.variance())
              .setPositives(e.positives())
              .setNegatives(e.negatives()));
    }
    for (Map.Entry<MetricKey, PairedDifferenceInterval.Table> change : changes.entrySet()) {
      PairedDifferenceInterval.Table t = change.getValue();
      record.addChanges(
          PairedChange.newBuilder()
              .setMetricKey(change.getKey())
              .setBoth(t.both())
              .setOnlyCandidate(t.onlyFirst())
              .setOnlyBaseline(t.onlySecond())
              .setNeither(t.neither()));
    }
    return record.build();
  }

  /** The table a written change stands for. */
  public static PairedDifferenceInterval.Table table(PairedChange change) {
    return new PairedDifferenceInterval.Table(
        change.getBoth(), change.getOnlyCandidate(), change.getOnlyBaseline(), change.getNeither());
  }

  /**
   * The rates of {@code record}, by key, from the run's {@code rateKeys}.
   *
   * @throws IllegalArgumentException when the record does not hold one rate per key
   */
  public static Map<MetricKey, Proportion> rates(
      DecisionCountsForSlice record, List<MetricKey> rateKeys) {
    if (record.getRatesCount() != rateKeys.size() || record.getCountsCount() != rateKeys.size()) {
      throw new IllegalArgumentException(
          "a record holds "
              + record.getRatesCount()
              + " rates and "
              + record.getCountsCount()
              + " counts, but the run summary names "
              + rateKeys.size()
              + " rates");
    }
    Map<MetricKey, Proportion> rates = new LinkedHashMap<>();
    for (int i = 0; i < rateKeys.size(); i++) {
      double n = record.getCounts(i);
      if (!(n >= 0) || Double.isInfinite(n)) {
        throw new IllegalArgumentException("rate " + i + " has count " + n);
      }
      double rate = record.getRates(i);
      rates.put(rateKeys.get(i), n > 0 ? new Proportion(rate, n) : new Proportion(Double.NaN, 0));
    }
    return rates;
  }
}
