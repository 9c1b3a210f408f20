package io.fairbeam.stats;

import org.apache.beam.sdk.annotations.Internal;

/**
 * The difference of two rates measured on the same examples (a candidate model's and its baseline's
 * false positive rate on one slice's negatives), by Newcombe's hybrid score method for paired data
 * (Newcombe 1998, "Improved confidence intervals for the difference between binomial proportions
 * based on paired data", method 10): each model's Wilson interval, combined with the correlation φ
 * of the two models' decisions, so that examples both models decide alike add no uncertainty. Two
 * models that differ on a handful of examples have a narrow interval around a small change, where
 * treating the two rates as independent would not; and where they differ on few examples of a small
 * slice, the interval stays wide, where a resampled interval of a slice whose replicates agree has
 * no width.
 *
 * <p>The examples behind the rate form a 2×2 table: {@code both} counted by both models, {@code
 * onlyFirst} by the first alone, {@code onlySecond} by the second alone, {@code neither}. With
 * example weights these are effective (Kish) counts.
 */
@Internal
public final class PairedDifferenceInterval {
  private PairedDifferenceInterval() {}

  /** The 2×2 table of two models' decisions on the examples behind a rate. */
  public record Table(double both, double onlyFirst, double onlySecond, double neither) {
    public double n() {
      return both + onlyFirst + onlySecond + neither;
    }

    /** The first model's rate minus the second's. */
    public double difference() {
      return (onlyFirst - onlySecond) / n();
    }
  }

  /**
   * The interval of the first model's rate minus the second's at {@code level}; [−1, 1] when no
   * example is behind the rate.
   */
  public static Bounds of(Table t, double level) {
    double n = t.n();
    if (!(n > 0)) {
      return new Bounds(-1, 1);
    }
    double z = StandardNormal.twoSided(level);
    double p1 = (t.both() + t.onlyFirst()) / n;
    double p2 = (t.both() + t.onlySecond()) / n;
    Bounds w1 = WilsonInterval.withQuantile(new Proportion(p1, n), z);
    Bounds w2 = WilsonInterval.withQuantile(new Proportion(p2, n), z);
    double phi = phi(t);
    double d = p1 - p2;
    double lowerFirst = p1 - w1.lower();
    double upperSecond = w2.upper() - p2;
    double upperFirst = w1.upper() - p1;
    double lowerSecond = p2 - w2.lower();
    double lower =
        d
            - Math.sqrt(
                Math.max(
                    0,
                    lowerFirst * lowerFirst
                        - 2 * phi * lowerFirst * upperSecond
                        + upperSecond * upperSecond));
    double upper =
        d
            + Math.sqrt(
                Math.max(
                    0,
                    upperFirst * upperFirst
                        - 2 * phi * upperFirst * lowerSecond
                        + lowerSecond * lowerSecond));
    return new Bounds(Math.max(-1, lower), Math.min(1, upper));
  }

  /**
   * The correlation of the two models' decisions, (ad − bc) / √((a+b)(c+d)(a+c)(b+d)); 0 when a
   * margin is empty, as Newcombe sets it.
   */
  static double phi(Table t) {
    double a = t.both();
    double b = t.onlyFirst();
    double c = t.onlySecond();
    double d = t.neither();
    double margins = (a + b) * (c + d) * (a + c) * (b + d);
    return margins > 0 ? (a * d - b * c) / Math.sqrt(margins) : 0;
  }
}
