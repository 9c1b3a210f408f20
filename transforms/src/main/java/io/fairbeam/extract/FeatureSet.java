package io.fairbeam.extract;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    for (int slot : byLength[length]) {
      byte[] name = utf8Names[slot];
      int i = 0;
      while (i < length && name[i] == buffer[offset + i]) {
        i++;
      }
      if (i == length) {
        return slot;
      }
    }
    return -1;
  }

  private int[][] index() {
    byte[][] encoded = new byte[names.size()][];
    int maxLength = 0;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
      maxLength = Math.max(maxLength, encoded[i].length);
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
    slotsByLength = byLength;
    return byLength;
  }

  /** A fresh, empty holder for one example's values of these features. */
  public ExampleFeatures newExample() {
    return new ExampleFeatures(this);
  }
}
