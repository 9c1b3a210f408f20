package io.fairbeam.metrics;

import java.nio.ByteBuffer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * One slice's accumulators, one per model, in the plan's model order. All models are evaluated on
 * the same records, so a slice's models travel, merge and are derived together, which is what lets
 * the derive step compare a candidate with its baseline without another shuffle.
 *
 * <p>For confidence intervals the accumulators are kept per sample (the jackknife's buckets, see
 * {@link SampleAssignment}): each example is added to its sample's accumulators only, so sampling
 * costs nothing per example; {@link #merged} merges the samples into the point estimate's
 * accumulators and {@link #leaveOut} into a replicate's. A sample's accumulators are created when
 * its first example arrives, so a small slice holds only the samples it touches.
 */
@Internal
public final class ModelAccumulators {
  private final AccumulatorSpec spec;
  private final int modelCount;

  /** [sample][model]; a sample's row is null until it holds an example. */
  private final SliceAccumulator[][] samples;

  /** Empty accumulators for {@code modelCount} models, without samples. */
  public ModelAccumulators(AccumulatorSpec spec, int modelCount) {
    this(spec, modelCount, 1);
  }

  /** Empty accumulators for {@code modelCount} models in {@code sampleCount} samples. */
  public ModelAccumulators(AccumulatorSpec spec, int modelCount, int sampleCount) {
    if (sampleCount < 1) {
      throw new IllegalArgumentException("at least one sample is needed, got " + sampleCount);
    }
    this.spec = spec;
    this.modelCount = modelCount;
    this.samples = new SliceAccumulator[sampleCount][];
    if (sampleCount == 1) {
      samples[0] = newRow();
    }
  }

  private SliceAccumulator[] newRow() {
    SliceAccumulator[] row = new SliceAccumulator[modelCount];
    for (int m = 0; m < modelCount; m++) {
      row[m] = new SliceAccumulator(spec);
    }
    return row;
  }

  public int modelCount() {
    return modelCount;
  }

  /** The number of samples (1 when no confidence interval is computed). */
  public int sampleCount() {
    return samples.length;
  }

  /**
   * The accumulators of sample {@code sample}, one per model, for adding examples: the array
   * itself, so the hot path looks the sample up once per slice, not once per model.
   */
  public SliceAccumulator[] sampleAccumulators(int sample) {
    SliceAccumulator[] row = samples[sample];
    if (row == null) {
      row = newRow();
      samples[sample] = row;
    }
    return row;
  }

  /** How many samples hold at least one example. */
  public int nonEmptySamples() {
    int count = 0;
    for (SliceAccumulator[] row : samples) {
      if (row != null && row[0].exampleCount() > 0) {
        count++;
      }
    }
    return count;
  }

  /**
   * The accumulator of model {@code index}. Without samples it is the accumulator examples are
   * added to; with samples, read it from {@link #merged()}.
   */
  public SliceAccumulator model(int index) {
    if (samples.length != 1) {
      throw new IllegalStateException("accumulators kept in samples: merge them first");
    }
    return samples[0][index];
  }

  /** The accumulators over all samples, without samples: the point estimate's. */
  public ModelAccumulators merged() {
    return samples.length == 1 ? this : leaveOut(-1);
  }

  /** The accumulators of all samples but {@code sample}, without samples: a jackknife replicate. */
  public ModelAccumulators leaveOut(int sample) {
    ModelAccumulators result = new ModelAccumulators(spec, modelCount);
    result.samples[0] = mergedExcept(sample);
    return result;
  }

  private SliceAccumulator[] mergedExcept(int left) {
    SliceAccumulator[] merged = newRow();
    for (int s = 0; s < samples.length; s++) {
      if (s != left && samples[s] != null) {
        for (int m = 0; m < modelCount; m++) {
          merged[m].merge(samples[s][m]);
        }
      }
    }
    return merged;
  }

  /** Adds {@code other}'s counts, sample by sample and model by model. */
  public void merge(ModelAccumulators other) {
    if (other.modelCount != modelCount || other.samples.length != samples.length) {
      throw new IllegalArgumentException(
          "cannot merge accumulators of "
              + other.modelCount
              + " models in "
              + other.samples.length
              + " samples into "
              + modelCount
              + " models in "
              + samples.length);
    }
    for (int s = 0; s < samples.length; s++) {
      if (other.samples[s] == null) {
        continue;
      }
      if (samples[s] == null) {
        samples[s] = newRow();
      }
      for (int m = 0; m < modelCount; m++) {
        samples[s][m].merge(other.samples[s][m]);
      }
    }
  }

  /** The examples counted in this slice (the same for every model). */
  public long exampleCount() {
    long count = 0;
    for (SliceAccumulator[] row : samples) {
      if (row != null) {
        count += row[0].exampleCount();
      }
    }
    return count;
  }

  /** Encodes all samples' and models' accumulators; {@link #fromBytes} decodes them. */
  public byte[] toBytes() {
    int size = 8;
    for (SliceAccumulator[] row : samples) {
      size += 1;
      if (row != null) {
        for (SliceAccumulator model : row) {
          size += model.encodedSize();
        }
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(modelCount);
    out.putInt(samples.length);
    for (SliceAccumulator[] row : samples) {
      out.put((byte) (row == null ? 0 : 1));
      if (row != null) {
        for (SliceAccumulator model : row) {
          model.writeTo(out);
        }
      }
    }
    return out.array();
  }

  /** Decodes what {@link #toBytes} wrote under the same spec. */
  public static ModelAccumulators fromBytes(AccumulatorSpec spec, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int models = in.getInt();
    int sampleCount = in.getInt();
    if (models < 1 || models > 1024 || sampleCount < 1 || sampleCount > 100_000) {
      throw new IllegalArgumentException(
          "encoded accumulators claim " + models + " models in " + sampleCount + " samples");
    }
    ModelAccumulators result = new ModelAccumulators(spec, models, sampleCount);
    for (int s = 0; s < sampleCount; s++) {
      boolean present = in.get() != 0;
      if (!present) {
        result.samples[s] = null;
        continue;
      }
      SliceAccumulator[] row = new SliceAccumulator[models];
      for (int m = 0; m < models; m++) {
        row[m] = SliceAccumulator.readFrom(spec, in);
      }
      result.samples[s] = row;
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("encoded accumulators do not match their spec");
    }
    return result;
  }
}
