package io.fairbeam.util;

import org.apache.beam.sdk.annotations.Internal;

/**
 * A map from long to non-negative int without boxing, for the per-record paths that intern slice
 * values and slice keys. Open addressing with linear probing over one array of (key, value) pairs,
 * so a lookup's key and value share a cache line: with a hundred thousand slices the table outgrows
 * the caches, and each lookup costs a memory access rather than two. {@link #get} returns -1 for a
 * missing key.
 */
@Internal
public final class LongIntMap {
  /** Entry i is {@code table[2i]} (the key) and {@code table[2i + 1]} (its value, -1 if empty). */
  private long[] table;

  private int size;

  public LongIntMap() {
    table = emptyTable(16);
  }

  private static long[] emptyTable(int capacity) {
    long[] table = new long[2 * capacity];
    for (int i = 1; i < table.length; i += 2) {
      table[i] = -1;
    }
    return table;
  }

  private static int hash(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The value of {@code key}, or -1. */
  public int get(long key) {
    long[] entries = table;
    int mask = entries.length / 2 - 1;
    int i = hash(key, mask);
    while (entries[2 * i + 1] >= 0) {
      if (entries[2 * i] == key) {
        return (int) entries[2 * i + 1];
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
    if ((size + 1) * 4 > table.length) {
      grow();
    }
    int mask = table.length / 2 - 1;
    int i = hash(key, mask);
    while (table[2 * i + 1] >= 0) {
      if (table[2 * i] == key) {
        table[2 * i + 1] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    table[2 * i] = key;
    table[2 * i + 1] = value;
    size++;
  }

  public int size() {
    return size;
  }

  private void grow() {
    long[] old = table;
    table = emptyTable(old.length);
    size = 0;
    for (int i = 0; i < old.length; i += 2) {
      if (old[i + 1] >= 0) {
        put(old[i], (int) old[i + 1]);
      }
    }
  }
}
