package io.fairbeam.constraint;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The sums each constraint population needs for its bound (see {@link SafetyTest.Statistics}),
 * gathered example by example and merged across bundles: one run's worth is a few numbers per
 * population, whatever the number of examples.
 */
public final class ConstraintSums implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int FIELDS = 5;

  private long[] counts = new long[0];
  private double[] sums = new double[0];

  /** Adds an example of {@code population} with weight {@code w} and value {@code z}. */
  public void add(int population, double w, double z) {
    if (!(w > 0)) {
      return;
    }
    if (population >= counts.length) {
      grow(population + 1);
    }
    counts[population]++;
    int at = population * FIELDS;
    double w2 = w * w;
    sums[at] += w;
    sums[at + 1] += w2;
    sums[at + 2] += w * z;
    sums[at + 3] += w2 * z;
    sums[at + 4] += w2 * z * z;
  }

  private void grow(int populations) {
    counts = Arrays.copyOf(counts, populations);
    sums = Arrays.copyOf(sums, populations * FIELDS);
  }

  public boolean isEmpty() {
    return counts.length == 0;
  }

  /** The statistics of {@code population}; empty if no example was in it. */
  public SafetyTest.Statistics statistics(int population) {
    if (population >= counts.length) {
      return SafetyTest.Statistics.EMPTY;
    }
    int at = population * FIELDS;
    return new SafetyTest.Statistics(
        counts[population], sums[at], sums[at + 1], sums[at + 2], sums[at + 3], sums[at + 4]);
  }

  public void merge(ConstraintSums other) {
    if (other.counts.length > counts.length) {
      grow(other.counts.length);
    }
    for (int p = 0; p < other.counts.length; p++) {
      counts[p] += other.counts[p];
    }
    for (int i = 0; i < other.sums.length; i++) {
      sums[i] += other.sums[i];
    }
  }

  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(counts.length);
    for (long c : counts) {
      out.writeLong(c);
    }
    for (double s : sums) {
      out.writeDouble(s);
    }
  }

  public static ConstraintSums readFrom(DataInput in) throws IOException {
    ConstraintSums result = new ConstraintSums();
    int populations = in.readInt();
    result.grow(populations);
    for (int p = 0; p < populations; p++) {
      result.counts[p] = in.readLong();
    }
    for (int i = 0; i < result.sums.length; i++) {
      result.sums[i] = in.readDouble();
    }
    return result;
  }
}
