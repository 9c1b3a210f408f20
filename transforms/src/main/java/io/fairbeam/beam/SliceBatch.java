package io.fairbeam.beam;

import com.google.protobuf.ByteString;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.slice.SliceKey;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * The partial accumulators one bundle has for the slices of one shard ({@link SliceShards}), as one
 * byte array: each slice's key (its TFMA {@code SliceKey} proto, whose encoding is deterministic,
 * so equal keys have equal bytes) and its accumulators ({@link ModelAccumulators#toBytes}). A
 * bundle sends one element per shard instead of one per slice: a runner's cost per grouped element
 * (the Direct Runner's state copies, watermark holds) is then paid per shard.
 */
final class SliceBatch {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);

  /** Adds one slice's accumulators. */
  void add(SliceKey slice, ModelAccumulators accumulators) {
    try {
      byte[] key = slice.toProto().toByteArray();
      byte[] value = accumulators.toBytes();
      out.writeInt(key.length);
      out.write(key);
      out.writeInt(value.length);
      out.write(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
  }

  /** The encoded batch. */
  byte[] toBytes() {
    return bytes.toByteArray();
  }

  /**
   * Calls {@code each} with every slice's encoded key and encoded accumulators in {@code batch}.
   */
  static void forEach(byte[] batch, BiConsumer<ByteString, byte[]> each) {
    ByteBuffer in = ByteBuffer.wrap(batch);
    while (in.hasRemaining()) {
      int keyLength = in.getInt();
      ByteString key = ByteString.copyFrom(batch, in.position(), keyLength);
      in.position(in.position() + keyLength);
      byte[] value = new byte[in.getInt()];
      in.get(value);
      each.accept(key, value);
    }
  }
}
