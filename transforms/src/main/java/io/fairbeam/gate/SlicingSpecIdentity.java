package io.fairbeam.gate;

import io.fairbeam.proto.tfma.CrossSlicingSpec;
import io.fairbeam.proto.tfma.SlicingSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * When two slicing specs are the same spec, as TFMA decides it ({@code slicer.SingleSliceSpec} and
 * {@code CrossSliceSpec} equality): the same set of {@code feature_keys} and the same {@code
 * feature_values}, where a value that reads as a number equals that number ({@code "1"} and {@code
 * "1.0"} are one value). Thresholds are deduplicated by it, and missing slices are found by it.
 */
record SlicingSpecIdentity(Set<String> columns, Map<String, Object> features, List<Object> cross)
    implements Serializable {

  static SlicingSpecIdentity of(SlicingSpec spec) {
    Map<String, Object> features = new TreeMap<>();
    spec.getFeatureValuesMap().forEach((k, v) -> features.put(k, typed(v)));
    return new SlicingSpecIdentity(new TreeSet<>(spec.getFeatureKeysList()), features, null);
  }

  static SlicingSpecIdentity of(CrossSlicingSpec spec) {
    List<Object> parts = new ArrayList<>();
    parts.add(of(spec.getBaselineSpec()));
    spec.getSlicingSpecsList().forEach(s -> parts.add(of(s)));
    return new SlicingSpecIdentity(Set.of(), Map.of(), parts);
  }

  /** TFMA's {@code _to_type}: a value with a dot that parses as a float, else an int, else text. */
  private static Object typed(String value) {
    try {
      return value.contains(".") ? Double.parseDouble(value) : (double) Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
