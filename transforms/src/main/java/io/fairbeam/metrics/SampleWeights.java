package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * The rows of accumulators one example is added to, each with its multiplicity: row 0 (the point
 * estimate's) once, and with intervals its jackknife bucket's row once, or each bootstrap
 * replicate's row its Poisson weight (replicates of weight 0 left out). Reused from example to
 * example, so the hot path allocates nothing.
 */
@Internal
public final class SampleWeights {
  private final int[] rows;
  private final int[] multiplicities;
  private int size;

  /** Room for {@code capacity} rows. */
  public SampleWeights(int capacity) {
    this.rows = new int[capacity];
    this.multiplicities = new int[capacity];
  }

  /** Row 0 once: the weights of an example without confidence intervals. */
  public static SampleWeights pointEstimateOnly() {
    SampleWeights weights = new SampleWeights(1);
    weights.add(0, 1);
    return weights;
  }

  void clear() {
    size = 0;
  }

  void add(int row, int multiplicity) {
    rows[size] = row;
    multiplicities[size] = multiplicity;
    size++;
  }

  public int size() {
    return size;
  }

  public int row(int i) {
    return rows[i];
  }

  public int multiplicity(int i) {
    return multiplicities[i];
  }
}
