package io.fairbeam.util;

import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/** A growable list of ints without boxing, reused across records on hot paths. */
@Internal
public final class IntList {
  private int[] values = new int[8];
  private int size;

  public void clear() {
    size = 0;
  }

  public void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  public boolean contains(int value) {
    for (int i = 0; i < size; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  public int get(int index) {
    return values[index];
  }

  public int size() {
    return size;
  }
}
