package io.fairbeam.slice;

import io.fairbeam.proto.tfma.SlicingSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Whether a slicing spec applies to a slice, as TFMA's {@code SingleSliceSpec.is_slice_applicable}
 * decides it for cross-slice comparisons: every column of the slice is either one of the spec's
 * {@code feature_values} with that value or one of its {@code feature_keys}, and every one of the
 * spec's keys and values is used. A numeric slice value matches a {@code feature_values} string of
 * the same number, as in slicing.
 */
@Internal
public final class SliceSpecMatch {
  private SliceSpecMatch() {}

  /** Whether {@code spec} applies to {@code slice}. */
  public static boolean applies(SlicingSpec spec, SliceKey slice) {
    List<String> columns = new ArrayList<>(spec.getFeatureKeysList());
    Map<String, String> values = new HashMap<>(spec.getFeatureValuesMap());
    for (SliceKey.Column column : slice.columns()) {
      String wanted = values.get(column.name());
      if (wanted != null && new FeatureValueTarget(wanted).matches(column.value())) {
        values.remove(column.name());
      } else if (!columns.remove(column.name())) {
        return false;
      }
    }
    return columns.isEmpty() && values.isEmpty();
  }

  /** Whether {@code spec} applies to {@code slice} for any of {@code specs}. */
  public static boolean appliesToAny(List<SlicingSpec> specs, SliceKey slice) {
    for (SlicingSpec spec : specs) {
      if (applies(spec, slice)) {
        return true;
      }
    }
    return false;
  }
}
