package io.fairbeam.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A quantity computed from each example's label and prediction whose weighted sum a slice keeps
 * ({@link SliceAccumulator#termSum}): the per-example error or loss behind TFMA's regression and
 * cross-entropy metrics, and the products behind its correlation metrics. Implementations are
 * values (records or enum constants): equal terms share one sum.
 */
@Internal
public interface ExampleTerm extends Serializable {
  /** The term for one example. */
  double of(double label, double prediction);

  /**
   * Whether an example whose term is NaN is left out with its weight, as TFMA's regression errors
   * leave out a percentage error at label 0; otherwise a NaN term makes the sum NaN, as TFMA's
   * cross entropy does.
   */
  default boolean skipsNaN() {
    return false;
  }
}
