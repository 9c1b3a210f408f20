package io.fairbeam.util;

import static org.junit.Assert.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/** {@link LongIntMap} against {@link HashMap} on random keys, zero and negatives included. */
public class LongIntMapTest {
  @Test
  public void agreesWithAHashMap() {
    Random random = new Random(5);
    LongIntMap map = new LongIntMap();
    Map<Long, Integer> expected = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      // Few distinct keys at first (overwrites), then many (growth), some on a stride of 2^32.
      long key =
          switch (i % 3) {
            case 0 -> random.nextInt(1000) - 500;
            case 1 -> ((long) random.nextInt(50_000)) << 32;
            default -> random.nextLong();
          };
      int value = random.nextInt(Integer.MAX_VALUE);
      map.put(key, value);
      expected.put(key, value);
    }
    assertEquals(expected.size(), map.size());
    expected.forEach((key, value) -> assertEquals((int) value, map.get(key)));
    for (int i = 0; i < 100_000; i++) {
      long key = random.nextLong();
      assertEquals(expected.getOrDefault(key, -1).intValue(), map.get(key));
    }
  }
}
