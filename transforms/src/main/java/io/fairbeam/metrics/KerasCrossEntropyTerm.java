package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * One example's loss under Keras' {@code BinaryCrossentropy} metric, which TFMA 0.52 runs by that
 * {@code class_name}: unlike TFMA's {@code BinaryCrossEntropy} ({@link CrossEntropyTerm}), a
 * probability is clipped to [1e-7, 1 − 1e-7] and 1e-7 is added inside each logarithm, so a score of
 * 0 or 1 gives a large finite loss rather than an infinite one.
 */
@Internal
public record KerasCrossEntropyTerm(double labelSmoothing, boolean fromLogits)
    implements ExampleTerm {
  @Override
  public double of(double label, double prediction) {
    double target = label * (1.0 - labelSmoothing) + 0.5 * labelSmoothing;
    if (fromLogits) {
      return Math.max(prediction, 0)
          - prediction * target
          + Math.log1p(Math.exp(-Math.abs(prediction)));
    }
    double p = Math.min(Math.max(prediction, KerasTerm.EPSILON), 1 - KerasTerm.EPSILON);
    return -(target * Math.log(p + KerasTerm.EPSILON)
        + (1 - target) * Math.log(1 - p + KerasTerm.EPSILON));
  }
}
