package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * One example's binary cross entropy as TFMA 0.52's {@code BinaryCrossEntropy} computes it: the
 * label smoothed towards ½ by {@code labelSmoothing}, the prediction a probability (not clipped: 0
 * or 1 against the other label gives an infinite loss, as in TFMA) or, with {@code fromLogits}, a
 * logit.
 */
@Internal
public record CrossEntropyTerm(double labelSmoothing, boolean fromLogits) implements ExampleTerm {
  @Override
  public double of(double label, double prediction) {
    double target = label * (1.0 - labelSmoothing) + 0.5 * labelSmoothing;
    if (fromLogits) {
      return Math.max(prediction, 0)
          - prediction * target
          + Math.log(1 + Math.exp(-Math.abs(prediction)));
    }
    return -target * Math.log(prediction) - (1 - target) * Math.log(1 - prediction);
  }
}
