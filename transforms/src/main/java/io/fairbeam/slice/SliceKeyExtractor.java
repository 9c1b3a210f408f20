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
  private final Map<SliceKey, Integer> ordinals = new HashMap<>();
  private final List<SliceKey> keys = new ArrayList<>();
  private final IntList out = new IntList();

  public SliceKeyExtractor(List<SlicingSpec> slicingSpecs, FeatureSet features) {
    this.features = features;
    this.specs = new CompiledSpec[slicingSpecs.size()];
    for (int i = 0; i < specs.length; i++) {
      specs[i] = new CompiledSpec(slicingSpecs.get(i), features);
    }
    this.interners = new ValueInterner[features.size()];
    for (int i = 0; i < interners.length; i++) {
      interners[i] = new ValueInterner();
    }
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
    out.clear();
    for (CompiledSpec spec : specs) {
      spec.collect(example, this);
    }
    return out;
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
    private final int[] slots;
    private final FeatureValueTarget[] matchers; // null for feature_keys columns
    private final IntList[] candidates;
    private final int bitsPerColumn;
    private final LongIntMap codeToOrdinal = new LongIntMap();
    private final int[] odometer;

    CompiledSpec(SlicingSpec spec, FeatureSet features) {
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
        extractor.emit(extractor.ordinalOf(SliceKey.OVERALL));
        return;
      }
      for (int c = 0; c < n; c++) {
        IntList ids = candidates[c];
        ids.clear();
        FeatureValues values = example.slot(slots[c]);
        if (!values.present() || values.count() == 0) {
          return;
        }
        ValueInterner interner = extractor.interners[slots[c]];
        for (int i = 0; i < values.count(); i++) {
          if (matchers[c] == null || matchers[c].matches(values, i)) {
            ids.add(interner.idOf(values, i));
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
