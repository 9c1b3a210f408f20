package io.fairbeam.util;

import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A map from long to non-negative int without boxing, for the per-record paths that intern slice
 * values and slice keys. Open addressing with linear probing; {@link #get} returns -1 for a missing
 * key.
 */
@Internal
public final class LongIntMap {
  private long[] keys;
  private int[] values;
  private int size;

  public LongIntMap() {
    keys = new long[16];
    values = new int[16];
    Arrays.fill(values, -1);
  }

  private static int hash(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The value of {@code key}, or -1. */
  public int get(long key) {
    int mask = keys.length - 1;
    int i = hash(key, mask);
    while (values[i] >= 0) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** Sets {@code key} to {@code value}, which must be non-negative. */
  public void put(long key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("values must be non-negative");
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = hash(key, mask);
    while (values[i] >= 0) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
  }

  public int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(values, -1);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] >= 0) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }
}
