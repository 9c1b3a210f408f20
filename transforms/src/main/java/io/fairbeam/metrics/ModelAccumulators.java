package io.fairbeam.metrics;

import java.nio.ByteBuffer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * One slice's accumulators, one per model, in the plan's model order. All models are evaluated on
 * the same records, so a slice's models travel, merge and are derived together, which is what lets
 * the derive step compare a candidate with its baseline without another shuffle.
 */
@Internal
public final class ModelAccumulators {
  private final SliceAccumulator[] models;

  /** Empty accumulators for {@code modelCount} models. */
  public ModelAccumulators(AccumulatorSpec spec, int modelCount) {
    this.models = new SliceAccumulator[modelCount];
    for (int i = 0; i < modelCount; i++) {
      models[i] = new SliceAccumulator(spec);
    }
  }

  private ModelAccumulators(SliceAccumulator[] models) {
    this.models = models;
  }

  public int modelCount() {
    return models.length;
  }

  /** The accumulator of model {@code index}. */
  public SliceAccumulator model(int index) {
    return models[index];
  }

  /** Adds {@code other}'s counts, model by model. */
  public void merge(ModelAccumulators other) {
    if (other.models.length != models.length) {
      throw new IllegalArgumentException(
          "cannot merge accumulators of " + other.models.length + " models into " + models.length);
    }
    for (int i = 0; i < models.length; i++) {
      models[i].merge(other.models[i]);
    }
  }

  /** The examples counted in this slice (the same for every model). */
  public long exampleCount() {
    return models[0].exampleCount();
  }

  /** Encodes all models' accumulators; {@link #fromBytes} decodes them. */
  public byte[] toBytes() {
    int size = 4;
    for (SliceAccumulator model : models) {
      size += model.encodedSize();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(models.length);
    for (SliceAccumulator model : models) {
      model.writeTo(out);
    }
    return out.array();
  }

  /** Decodes what {@link #toBytes} wrote under the same spec. */
  public static ModelAccumulators fromBytes(AccumulatorSpec spec, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int count = in.getInt();
    if (count < 1 || count > 1024) {
      throw new IllegalArgumentException("encoded accumulators claim " + count + " models");
    }
    SliceAccumulator[] models = new SliceAccumulator[count];
    for (int i = 0; i < count; i++) {
      models[i] = SliceAccumulator.readFrom(spec, in);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("encoded accumulators do not match their spec");
    }
    return new ModelAccumulators(models);
  }
}
