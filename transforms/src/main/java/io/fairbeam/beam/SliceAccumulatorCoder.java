package io.fairbeam.beam;

import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.SliceAccumulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/** Encodes a {@link SliceAccumulator} of a known {@link AccumulatorSpec}. */
public final class SliceAccumulatorCoder extends CustomCoder<SliceAccumulator> {
  private static final long serialVersionUID = 1L;

  private final AccumulatorSpec spec;

  public SliceAccumulatorCoder(AccumulatorSpec spec) {
    this.spec = spec;
  }

  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  @Override
  public void encode(SliceAccumulator value, OutputStream out) throws IOException {
    BYTES.encode(value.toBytes(), out);
  }

  @Override
  public SliceAccumulator decode(InputStream in) throws IOException {
    try {
      return SliceAccumulator.fromBytes(spec, BYTES.decode(in));
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw new org.apache.beam.sdk.coders.CoderException("corrupt SliceAccumulator: " + e, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceAccumulatorCoder other && spec.equals(other.spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }
}
