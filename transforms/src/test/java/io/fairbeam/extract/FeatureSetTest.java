package io.fairbeam.extract;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** A record's feature key finds its slot by its bytes, wherever it lies in the record. */
public class FeatureSetTest {
  @Test
  public void findsEveryNameAndNothingElseAtEveryPosition() {
    // Short and long names, names that share their first eight bytes, one that is a prefix of
    // another, a multi-byte one and the empty name.
    List<String> names =
        List.of(
            "",
            "g",
            "sex",
            "score",
            "age_group",
            "age_groups",
            "age_groupx1",
            "résumé",
            "12345678");
    FeatureSet features = FeatureSet.of(names);
    List<String> keys = new ArrayList<>(names);
    keys.addAll(List.of("age", "age_grou", "age_group_", "scorf", "Score", "résumè", "12345679"));
    for (String key : keys) {
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      // The key at the start, in the middle and at the very end of a record (where fewer than
      // eight bytes follow it), with other bytes around it.
      for (int before = 0; before <= 9; before++) {
        for (int after = 0; after <= 9; after++) {
          byte[] record = new byte[before + utf8.length + after];
          java.util.Arrays.fill(record, (byte) 'e');
          System.arraycopy(utf8, 0, record, before, utf8.length);
          assertEquals(
              key + " at " + before + " with " + after + " bytes after",
              names.indexOf(key),
              features.slotOf(record, before, utf8.length));
        }
      }
    }
  }
}
