package io.fairbeam.extract;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features an evaluation needs (label, prediction, weight, slicing features), each with a
 * fixed slot number. Decoders extract only these features and put them in their slots of an
 * {@link ExampleFeatures}; everything else in a record is skipped.
 */
public final class FeatureSet implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final Map<String, Integer> slots;
  private transient byte[][] utf8Names;

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
    byte[][] encoded = utf8Names;
    if (encoded == null) {
      encoded = new byte[names.size()][];
      for (int i = 0; i < encoded.length; i++) {
        encoded[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
      }
      utf8Names = encoded;
    }
    for (int slot = 0; slot < encoded.length; slot++) {
      byte[] name = encoded[slot];
      if (name.length == length
          && java.util.Arrays.equals(name, 0, length, buffer, offset, offset + length)) {
        return slot;
      }
    }
    return -1;
  }

  /** A fresh, empty holder for one example's values of these features. */
  public ExampleFeatures newExample() {
    return new ExampleFeatures(this);
  }
}
