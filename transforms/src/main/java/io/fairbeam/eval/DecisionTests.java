package io.fairbeam.eval;

import io.fairbeam.proto.DecisionSettings;
import io.fairbeam.stats.AucScoreInterval;
import io.fairbeam.stats.Bounds;
import io.fairbeam.stats.ClopperPearsonInterval;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import io.fairbeam.stats.WilsonInterval;
import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * How Fairbeam decides from a slice's counts, where resampling intervals fail: a rate's score
 * interval, and the fewest examples a slice needs behind a rate to be one side of a finding. A
 * jackknife or bootstrap interval collapses to zero width when every replicate of a small slice
 * gives the same value (3 of 3 positives found), and then any gap to it looks certain; an interval
 * from the counts does not (3 of 3 is [0.44, 1] at 95%). TFMA's own intervals stay what its files
 * hold; these are what findings, disparities and the report's decisions use.
 *
 * @param level the two-sided confidence level
 * @param rateInterval Clopper-Pearson's exact interval or Wilson's score interval
 * @param minCount the fewest (effective) examples behind a rate for a finding
 */
@Internal
public record DecisionTests(double level, RateInterval rateInterval, int minCount)
    implements Serializable {
  /** The default of {@code min_finding_count}. */
  public static final int DEFAULT_MIN_COUNT = 10;

  /**
   * The interval of one rate. Clopper-Pearson's is the default because the decisions it feeds are
   * made on small slices: its coverage never falls below the level, where Wilson's falls to 0.91 on
   * 10 examples behind a rate near 0 or 1 (scripts/coverage --small).
   */
  public enum RateInterval {
    CLOPPER_PEARSON,
    WILSON
  }

  /** These settings as the run summary records them. */
  public DecisionSettings settings() {
    return DecisionSettings.newBuilder()
        .setLevel(level)
        .setRateInterval(rateInterval.name())
        .setMinFindingCount(minCount)
        .build();
  }

  /**
   * The settings a run summary records; a summary written before they were recorded (none) gives
   * the defaults: 95%, Clopper-Pearson.
   */
  public static DecisionTests of(DecisionSettings settings) {
    if (settings.getLevel() == 0) {
      return new DecisionTests(
          ConfidenceIntervals.TFMA_LEVEL, RateInterval.CLOPPER_PEARSON, DEFAULT_MIN_COUNT);
    }
    RateInterval method;
    try {
      method = RateInterval.valueOf(settings.getRateInterval());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown rate_interval \"" + settings.getRateInterval() + "\"", e);
    }
    if (!(settings.getLevel() > 0 && settings.getLevel() < 1)) {
      throw new IllegalArgumentException("level must lie in (0, 1), got " + settings.getLevel());
    }
    return new DecisionTests(settings.getLevel(), method, settings.getMinFindingCount());
  }

  /** The name of the rate interval, as the report and terminal print it. */
  public String rateMethod() {
    return switch (rateInterval) {
      case WILSON -> "Wilson";
      case CLOPPER_PEARSON -> "Clopper-Pearson";
    };
  }

  /** The name of the AUC interval, as the report and terminal print it. */
  public String aucMethod() {
    return "a score interval";
  }

  /**
   * The interval of a ROC AUC: the score interval from its positives and negatives ({@link
   * AucScoreInterval}), chosen over DeLong's, which has no width at an AUC of 1 and covers 0.76 at
   * ten of each class near an AUC of 0.95 where this one covers 0.96 (scripts/coverage --small
   * auc); null without an estimate (fewer than two of either class).
   */
  public Bounds aucInterval(DeLongAucInterval.Estimate auc) {
    return AucScoreInterval.of(auc.auc(), auc.positives(), auc.negatives(), level);
  }

  /** The interval of {@code rate}: [0, 1] when nothing is behind it. */
  public Bounds interval(Proportion rate) {
    return switch (rateInterval) {
      case WILSON -> WilsonInterval.of(rate, level);
      case CLOPPER_PEARSON -> ClopperPearsonInterval.of(rate, level);
    };
  }
}
