package io.fairbeam.beam;

import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;

/**
 * Encodes a {@link SliceKey} as its TFMA {@code SliceKey} proto. Deterministic: columns are sorted
 * and values have one encoding, so equal keys group together in a shuffle.
 */
final class SliceKeyCoder extends AtomicCoder<SliceKey> {
  private static final long serialVersionUID = 1L;
  private static final SliceKeyCoder INSTANCE = new SliceKeyCoder();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  public static SliceKeyCoder of() {
    return INSTANCE;
  }

  private SliceKeyCoder() {}

  @Override
  public void encode(SliceKey value, OutputStream out) throws IOException {
    BYTES.encode(value.toProto().toByteArray(), out);
  }

  @Override
  public SliceKey decode(InputStream in) throws IOException {
    return SliceKey.fromProto(io.fairbeam.proto.tfma.SliceKey.parseFrom(BYTES.decode(in)));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
