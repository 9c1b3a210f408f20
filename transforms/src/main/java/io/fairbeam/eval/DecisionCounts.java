package io.fairbeam.eval;

import io.fairbeam.proto.AucEstimate;
import io.fairbeam.proto.DecisionCountsForSlice;
import io.fairbeam.proto.RateCounts;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A slice's decision-interval inputs as Fairbeam writes them ({@code DecisionCountsForSlice}): the
 * counts behind each rate and each AUC with its positives and negatives, from which a reader
 * computes the bounds with the run's {@link DecisionTests}.
 */
@Internal
public final class DecisionCounts {
  private DecisionCounts() {}

  /** The record of {@code values}; null when the slice has no rate and no AUC (or is hidden). */
  public static DecisionCountsForSlice of(SliceValues values) {
    if (values.suppressed() || (values.proportions().isEmpty() && values.aucs().isEmpty())) {
      return null;
    }
    DecisionCountsForSlice.Builder record =
        DecisionCountsForSlice.newBuilder().setSliceKey(values.key().toProto());
    for (Map.Entry<MetricKey, Proportion> rate : values.proportions().entrySet()) {
      Proportion p = rate.getValue();
      record.addRates(
          RateCounts.newBuilder()
              .setMetricKey(rate.getKey())
              .setRate(p.n() > 0 ? p.estimate() : Double.NaN)
              .setCount(p.n()));
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
    return record.build();
  }

  /** The proportion a written rate stands for. */
  public static Proportion proportion(RateCounts rate) {
    return new Proportion(rate.getCount() > 0 ? rate.getRate() : Double.NaN, rate.getCount());
  }
}
