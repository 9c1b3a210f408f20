package io.fairbeam.slice;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureSet;
import io.fairbeam.extract.FeatureValues;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.util.IntList;
import io.fairbeam.util.LongIntMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Computes the slices an example belongs to under a list of {@code SlicingSpec}s, with TFMA's
 * semantics:
 *
 * <ul>
 *   <li>an empty spec is the Overall slice;
 *   <li>{@code feature_keys} gives one slice per combination of the values of the listed features
 *       (a multi-valued feature gives one slice per value); an example that lacks one of them is in
 *       no slice of that spec;
 *   <li>{@code feature_values} requires the feature to hold the given value; a numeric string
 *       matches an int64 or float feature of that value; the slice key keeps the example's typed
 *       value;
 *   <li>an example is counted once per distinct slice, even if several specs produce it.
 * </ul>
 *
 * <p>Each distinct slice gets an ordinal, so the caller can keep per-slice state in an array.
 * Values and keys seen before are found without allocation, which keeps slicing cheap per example.
 */
@Internal
public final class SliceKeyExtractor {
  private final FeatureSet features;
  private final CompiledSpec[] specs;
  private final ValueInterner[] interners;

  /**
   * The ids of the current example's values, per feature slot: value i of slot s has id {@code
   * valueIds[s][i]} (-1 until a spec needs it) while {@code valueIdsExample[s]} is the example's
   * number, so a feature several specs slice by is interned once per example.
   */
  private final int[][] valueIds;

  private final long[] valueIdsExample;
  private long example;
  private final Map<SliceKey, Integer> ordinals = new HashMap<>();
  private final List<SliceKey> keys = new ArrayList<>();
  private final IntList out = new IntList();

  public SliceKeyExtractor(List<SlicingSpec> slicingSpecs, FeatureSet features) {
    this(slicingSpecs, features, CompiledSpec.PAIR_TABLE_LIMIT);
  }

  /** As the public constructor, with two-column specs' tables capped at {@code pairTableLimit}. */
  SliceKeyExtractor(List<SlicingSpec> slicingSpecs, FeatureSet features, int pairTableLimit) {
    this.features = features;
    this.specs = new CompiledSpec[slicingSpecs.size()];
    for (int i = 0; i < specs.length; i++) {
      specs[i] = new CompiledSpec(slicingSpecs.get(i), features, pairTableLimit);
    }
    this.interners = new ValueInterner[features.size()];
    for (int i = 0; i < interners.length; i++) {
      interners[i] = new ValueInterner();
    }
    this.valueIds = new int[features.size()][0];
    this.valueIdsExample = new long[features.size()];
    java.util.Arrays.fill(valueIdsExample, -1);
  }

  /** The feature names slicing reads, for building the {@link FeatureSet}. */
  public static List<String> featuresOf(List<SlicingSpec> slicingSpecs) {
    List<String> names = new ArrayList<>();
    for (SlicingSpec spec : slicingSpecs) {
      names.addAll(spec.getFeatureKeysList());
      names.addAll(spec.getFeatureValuesMap().keySet());
    }
    return names;
  }

  /** The key of slice {@code ordinal}. */
  public SliceKey key(int ordinal) {
    return keys.get(ordinal);
  }

  /** Number of distinct slices seen so far. */
  public int sliceCount() {
    return keys.size();
  }

  /**
   * The ordinals of the slices {@code example} belongs to, without duplicates. The returned list is
   * reused by the next call.
   */
  public IntList slicesOf(ExampleFeatures example) {
    this.example++;
    out.clear();
    for (CompiledSpec spec : specs) {
      spec.collect(example, this);
    }
    return out;
  }

  /** The id of value {@code i} of feature slot {@code slot}, which holds {@code values}. */
  private int idOf(int slot, FeatureValues values, int i) {
    int[] ids = valueIds[slot];
    if (valueIdsExample[slot] != example) {
      if (ids.length < values.count()) {
        ids = valueIds[slot] = new int[Math.max(values.count(), 2 * ids.length)];
      }
      java.util.Arrays.fill(ids, 0, values.count(), -1);
      valueIdsExample[slot] = example;
    }
    int id = ids[i];
    if (id < 0) {
      id = interners[slot].idOf(values, i);
      ids[i] = id;
    }
    return id;
  }

  private void emit(int ordinal) {
    if (!out.contains(ordinal)) {
      out.add(ordinal);
    }
  }

  private int ordinalOf(SliceKey key) {
    Integer ordinal = ordinals.get(key);
    if (ordinal == null) {
      ordinal = keys.size();
      keys.add(key);
      ordinals.put(key, ordinal);
    }
    return ordinal;
  }

  /** One slicing spec, resolved to feature slots. */
  private static final class CompiledSpec {
    /** Entries of a two-column spec's table of ordinals at most (16 MB). */
    private static final int PAIR_TABLE_LIMIT = 1 << 22;

    private final int[] slots;
    private final FeatureValueTarget[] matchers; // null for feature_keys columns
    private final IntList[] candidates;
    private final int bitsPerColumn;
    private final LongIntMap codeToOrdinal = new LongIntMap();

    /**
     * For a spec of one column, the ordinal of each value id (-1 if not seen): ids are dense, so an
     * array replaces the hash lookup, which past ten thousand slices costs a cache miss a row.
     */
    private int[] ordinalById = new int[0];

    /**
     * For a spec of two columns, the ordinal of the value ids {@code (a, b)} at {@code (a <<
     * pairShift) + b} (-1 if not seen), while that table stays under {@link #pairTableLimit}
     * entries ({@link #PAIR_TABLE_LIMIT} unless a test sets less); past it (or for more columns)
     * {@link #codeToOrdinal} finds the slice. A feature crossed with one of few values (a zip code
     * and sex) keeps its table small enough for the caches, where the hash table, four times the
     * slices in pairs of longs, is not.
     */
    private int[] ordinalByPair = new int[0];

    private int pairShift = 1;
    private boolean pairTableOutgrown;
    private final int pairTableLimit;

    /** The Overall slice's ordinal, for the spec with no columns; -1 until first needed. */
    private int overallOrdinal = -1;

    private final int[] odometer;

    CompiledSpec(SlicingSpec spec, FeatureSet features, int pairTableLimit) {
      this.pairTableLimit = pairTableLimit;
      List<String> keys = spec.getFeatureKeysList();
      Map<String, String> values = new java.util.TreeMap<>(spec.getFeatureValuesMap());
      int n = keys.size() + values.size();
      slots = new int[n];
      matchers = new FeatureValueTarget[n];
      int c = 0;
      for (String key : keys) {
        slots[c++] = features.slotOf(key);
      }
      for (Map.Entry<String, String> entry : values.entrySet()) {
        slots[c] = features.slotOf(entry.getKey());
        matchers[c] = new FeatureValueTarget(entry.getValue());
        c++;
      }
      candidates = new IntList[n];
      for (int i = 0; i < n; i++) {
        candidates[i] = new IntList();
      }
      bitsPerColumn = n == 0 ? 64 : 64 / n;
      odometer = new int[n];
    }

    void collect(ExampleFeatures example, SliceKeyExtractor extractor) {
      int n = slots.length;
      if (n == 0) {
        if (overallOrdinal < 0) {
          overallOrdinal = extractor.ordinalOf(SliceKey.OVERALL);
        }
        extractor.emit(overallOrdinal);
        return;
      }
      for (int c = 0; c < n; c++) {
        IntList ids = candidates[c];
        ids.clear();
        FeatureValues values = example.slot(slots[c]);
        if (!values.present() || values.count() == 0) {
          return;
        }
        for (int i = 0; i < values.count(); i++) {
          if (matchers[c] == null || matchers[c].matches(values, i)) {
            ids.add(extractor.idOf(slots[c], values, i));
            if (matchers[c] != null) {
              break;
            }
          }
        }
        if (ids.size() == 0) {
          return;
        }
      }
      java.util.Arrays.fill(odometer, 0);
      while (true) {
        extractor.emit(ordinalOfCombination(extractor));
        int c = n - 1;
        while (c >= 0 && ++odometer[c] == candidates[c].size()) {
          odometer[c] = 0;
          c--;
        }
        if (c < 0) {
          return;
        }
      }
    }

    private int ordinalOfCombination(SliceKeyExtractor extractor) {
      int n = slots.length;
      if (n == 1) {
        int id = candidates[0].get(odometer[0]);
        if (id >= ordinalById.length) {
          int old = ordinalById.length;
          ordinalById = java.util.Arrays.copyOf(ordinalById, Math.max(id + 1, 2 * old));
          java.util.Arrays.fill(ordinalById, old, ordinalById.length, -1);
        }
        if (ordinalById[id] < 0) {
          ordinalById[id] = extractor.ordinalOf(buildKey(extractor));
        }
        return ordinalById[id];
      }
      if (n == 2 && !pairTableOutgrown) {
        int index = pairIndex(candidates[0].get(odometer[0]), candidates[1].get(odometer[1]));
        if (index >= 0) {
          if (ordinalByPair[index] < 0) {
            ordinalByPair[index] = extractor.ordinalOf(buildKey(extractor));
          }
          return ordinalByPair[index];
        }
      }
      long code = 0;
      boolean packable = true;
      for (int c = 0; c < n; c++) {
        long id = candidates[c].get(odometer[c]);
        if (bitsPerColumn < 64 && id >= (1L << bitsPerColumn)) {
          packable = false;
          break;
        }
        code = bitsPerColumn == 64 ? id : (code << bitsPerColumn) | id;
      }
      if (packable) {
        int ordinal = codeToOrdinal.get(code);
        if (ordinal < 0) {
          ordinal = extractor.ordinalOf(buildKey(extractor));
          codeToOrdinal.put(code, ordinal);
        }
        return ordinal;
      }
      return extractor.ordinalOf(buildKey(extractor));
    }

    /**
     * The index of the value ids {@code (a, b)} in {@link #ordinalByPair}, growing it as needed, or
     * -1 once it would pass {@link #pairTableLimit} entries: then the pairs seen so far move to
     * {@link #codeToOrdinal}, which serves this spec from then on.
     */
    private int pairIndex(int a, int b) {
      int shift = pairShift;
      // Past 2^30 the shift would overflow; such a column goes to the hash table below anyway.
      while (shift < 31 && b >= 1 << shift) {
        shift++;
      }
      int rows = ordinalByPair.length >>> pairShift;
      if (a >= rows || shift != pairShift) {
        // Room for twice the rows needed, as an ArrayList grows, within the limit.
        long neededRows = Math.max(a + 1L, rows);
        long grownRows = Math.max(neededRows, a >= rows ? 2L * rows : rows);
        if (neededRows << shift > pairTableLimit) {
          moveToHashTable();
          return -1;
        }
        grownRows = Math.min(grownRows, pairTableLimit >>> shift);
        int[] table = new int[(int) (grownRows << shift)];
        java.util.Arrays.fill(table, -1);
        for (int i = 0; i < ordinalByPair.length; i++) {
          int row = i >>> pairShift;
          int column = i & ((1 << pairShift) - 1);
          table[(row << shift) + column] = ordinalByPair[i];
        }
        ordinalByPair = table;
        pairShift = shift;
      }
      return (a << shift) + b;
    }

    private void moveToHashTable() {
      for (int i = 0; i < ordinalByPair.length; i++) {
        if (ordinalByPair[i] >= 0) {
          long a = i >>> pairShift;
          long b = i & ((1 << pairShift) - 1);
          codeToOrdinal.put((a << bitsPerColumn) | b, ordinalByPair[i]);
        }
      }
      ordinalByPair = null;
      pairTableOutgrown = true;
    }

    private SliceKey buildKey(SliceKeyExtractor extractor) {
      List<SliceKey.Column> columns = new ArrayList<>(slots.length);
      for (int c = 0; c < slots.length; c++) {
        int id = candidates[c].get(odometer[c]);
        columns.add(
            new SliceKey.Column(
                extractor.features.name(slots[c]), extractor.interners[slots[c]].value(id)));
      }
      return SliceKey.of(columns);
    }
  }
}
