package io.fairbeam.beam;

import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.SliceAccumulator;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** Encodes a {@link SliceAccumulator} of a known {@link AccumulatorSpec}. */
public final class SliceAccumulatorCoder extends CustomCoder<SliceAccumulator> {
  private static final long serialVersionUID = 1L;

  private final AccumulatorSpec spec;

  public SliceAccumulatorCoder(AccumulatorSpec spec) {
    this.spec = spec;
  }

  @Override
  public void encode(SliceAccumulator value, OutputStream out) throws IOException {
    value.writeTo(new DataOutputStream(out));
  }

  @Override
  public SliceAccumulator decode(InputStream in) throws IOException {
    return SliceAccumulator.readFrom(spec, new DataInputStream(in));
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
