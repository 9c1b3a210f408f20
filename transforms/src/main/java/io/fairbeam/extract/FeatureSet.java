package io.fairbeam.extract;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The features an evaluation needs (label, prediction, weight, slicing features), each with a fixed
 * slot number. Decoders extract only these features and put them in their slots of an {@link
 * ExampleFeatures}; everything else in a record is skipped.
 */
@Internal
public final class FeatureSet implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final Map<String, Integer> slots;
  private transient byte[][] utf8Names;
  // Slots by name length (index), for a quick first filter: most record keys are not needed.
  private transient int[][] slotsByLength;
  // Each name's first (up to) eight bytes as a little-endian long, and the mask of those bytes.
  private transient long[] heads;
  private transient long[] headMasks;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private FeatureSet(List<String> names) {
    this.names = List.copyOf(names);
    this.slots = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      slots.put(names.get(i), i);
    }
  }

  /** A set of the distinct {@code names}, in first-seen order. */
  public static FeatureSet of(Collection<String> names) {
    List<String> distinct = new ArrayList<>();
    for (String name : names) {
      if (!distinct.contains(name)) {
        distinct.add(name);
      }
    }
    return new FeatureSet(distinct);
  }

  public int size() {
    return names.size();
  }

  public List<String> names() {
    return names;
  }

  public String name(int slot) {
    return names.get(slot);
  }

  /** The slot of {@code name}, or -1 if the evaluation does not need it. */
  public int slotOf(String name) {
    Integer slot = slots.get(name);
    return slot == null ? -1 : slot;
  }

  /** The slot whose UTF-8 name equals {@code buffer[offset, offset + length)}, or -1. */
  public int slotOf(byte[] buffer, int offset, int length) {
    int[][] byLength = slotsByLength;
    if (byLength == null) {
      byLength = index();
    }
    if (length >= byLength.length) {
      return -1;
    }
    int[] candidates = byLength[length];
    if (candidates.length == 0) {
      return -1;
    }
    if (buffer.length - offset < Long.BYTES) {
      return slotOfBytewise(candidates, buffer, offset, length);
    }
    // Most names are short: their first eight bytes, read as one long, usually decide.
    long head = (long) LONGS.get(buffer, offset);
    for (int slot : candidates) {
      if ((head & headMasks[slot]) == heads[slot]
          && (length <= Long.BYTES
              || Arrays.equals(
                  buffer,
                  offset + Long.BYTES,
                  offset + length,
                  utf8Names[slot],
                  Long.BYTES,
                  length))) {
        return slot;
      }
    }
    return -1;
  }

  private int slotOfBytewise(int[] candidates, byte[] buffer, int offset, int length) {
    for (int slot : candidates) {
      if (Arrays.equals(buffer, offset, offset + length, utf8Names[slot], 0, length)) {
        return slot;
      }
    }
    return -1;
  }

  private int[][] index() {
    byte[][] encoded = new byte[names.size()][];
    long[] nameHeads = new long[names.size()];
    long[] nameHeadMasks = new long[names.size()];
    int maxLength = 0;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
      maxLength = Math.max(maxLength, encoded[i].length);
      int headLength = Math.min(Long.BYTES, encoded[i].length);
      for (int b = 0; b < headLength; b++) {
        nameHeads[i] |= (encoded[i][b] & 0xFFL) << (8 * b);
      }
      nameHeadMasks[i] = headLength == Long.BYTES ? -1L : (1L << (8 * headLength)) - 1;
    }
    int[][] byLength = new int[maxLength + 1][];
    for (int length = 0; length <= maxLength; length++) {
      final int l = length;
      byLength[length] =
          java.util.stream.IntStream.range(0, encoded.length)
              .filter(i -> encoded[i].length == l)
              .toArray();
    }
    utf8Names = encoded;
    heads = nameHeads;
    headMasks = nameHeadMasks;
    slotsByLength = byLength;
    return byLength;
  }

  /** A fresh, empty holder for one example's values of these features. */
  public ExampleFeatures newExample() {
    return new ExampleFeatures(this);
  }
}
