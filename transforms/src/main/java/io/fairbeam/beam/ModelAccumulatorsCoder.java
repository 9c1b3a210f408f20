package io.fairbeam.beam;

import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.ModelAccumulators;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/** Encodes a slice's {@link ModelAccumulators} of a known {@link AccumulatorSpec}. */
final class ModelAccumulatorsCoder extends CustomCoder<ModelAccumulators> {
  private static final long serialVersionUID = 1L;

  private final AccumulatorSpec spec;

  public ModelAccumulatorsCoder(AccumulatorSpec spec) {
    this.spec = spec;
  }

  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  @Override
  public void encode(ModelAccumulators value, OutputStream out) throws IOException {
    BYTES.encode(value.toBytes(), out);
  }

  @Override
  public ModelAccumulators decode(InputStream in) throws IOException {
    try {
      return ModelAccumulators.fromBytes(spec, BYTES.decode(in));
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw new org.apache.beam.sdk.coders.CoderException("corrupt accumulators: " + e, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelAccumulatorsCoder other && spec.equals(other.spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }
}
