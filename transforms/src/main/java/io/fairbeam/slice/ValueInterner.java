package io.fairbeam.slice;

import io.fairbeam.extract.FeatureValues;
import io.fairbeam.util.LongIntMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gives each distinct value of one slicing feature a small int id, looking values up straight from
 * a record's {@link FeatureValues} so that a value seen before costs no allocation.
 */
final class ValueInterner {
  private final LongIntMap int64Ids = new LongIntMap();
  private final LongIntMap floatIds = new LongIntMap();
  private int[] bytesTable = emptyTable(16);
  private final List<byte[]> bytesById = new ArrayList<>();
  private int bytesCount;
  private final List<SliceValue> values = new ArrayList<>();

  private static int[] emptyTable(int size) {
    int[] table = new int[size];
    Arrays.fill(table, -1);
    return table;
  }

  SliceValue value(int id) {
    return values.get(id);
  }

  /** The id of the i-th value in {@code v}. */
  int idOf(FeatureValues v, int i) {
    switch (v.kind()) {
      case INT64 -> {
        long key = v.int64At(i);
        int id = int64Ids.get(key);
        if (id < 0) {
          id = newId(SliceValue.ofInt64(key), null);
          int64Ids.put(key, id);
        }
        return id;
      }
      case FLOAT -> {
        float f = v.floatAt(i);
        long key = Float.floatToIntBits(f);
        int id = floatIds.get(key);
        if (id < 0) {
          id = newId(SliceValue.ofFloat(f), null);
          floatIds.put(key, id);
        }
        return id;
      }
      default -> {
        return bytesId(v.bytesBuffer(i), v.bytesOffset(i), v.bytesLength(i));
      }
    }
  }

  private int newId(SliceValue value, byte[] bytes) {
    values.add(value);
    bytesById.add(bytes);
    return values.size() - 1;
  }

  private int bytesId(byte[] buffer, int offset, int length) {
    int hash = 1;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + buffer[i];
    }
    int mask = bytesTable.length - 1;
    int slot = (hash ^ (hash >>> 16)) & mask;
    while (bytesTable[slot] >= 0) {
      byte[] candidate = bytesById.get(bytesTable[slot]);
      if (candidate.length == length
          && Arrays.equals(candidate, 0, length, buffer, offset, offset + length)) {
        return bytesTable[slot];
      }
      slot = (slot + 1) & mask;
    }
    byte[] copy = Arrays.copyOfRange(buffer, offset, offset + length);
    int id = newId(SliceValue.ofBytes(copy), copy);
    bytesTable[slot] = id;
    bytesCount++;
    if (bytesCount * 2 > bytesTable.length) {
      rehashBytes();
    }
    return id;
  }

  private void rehashBytes() {
    bytesTable = emptyTable(bytesTable.length * 2);
    int mask = bytesTable.length - 1;
    for (int id = 0; id < bytesById.size(); id++) {
      byte[] b = bytesById.get(id);
      if (b == null) {
        continue;
      }
      int hash = 1;
      for (byte x : b) {
        hash = 31 * hash + x;
      }
      int slot = (hash ^ (hash >>> 16)) & mask;
      while (bytesTable[slot] >= 0) {
        slot = (slot + 1) & mask;
      }
      bytesTable[slot] = id;
    }
  }
}
