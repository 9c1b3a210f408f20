package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compares two evaluation results value by value: every metric and plot of every slice, every field
 * of every value. Doubles may differ in the last bits when a runner adds partial sums in another
 * order; they must agree to {@link #RELATIVE_TOLERANCE}. Counts how many were identical.
 */
final class ResultComparison {
  static final double RELATIVE_TOLERANCE = 1e-12;

  private int values;
  private int identicalDoubles;
  private int closeDoubles;

  private ResultComparison() {}

  /** Asserts that {@code actual} holds the same result as {@code expected}. */
  static ResultComparison assertSame(Path expected, Path actual) throws IOException {
    ResultComparison comparison = new ResultComparison();
    Map<String, MetricsForSlice> want =
        bySlice(EvalResultReader.metrics(expected), ResultComparison::name);
    Map<String, MetricsForSlice> got =
        bySlice(EvalResultReader.metrics(actual), ResultComparison::name);
    assertEquals("slices with metrics", want.keySet(), got.keySet());
    for (Map.Entry<String, MetricsForSlice> slice : want.entrySet()) {
      Map<MetricKey, MetricsForSlice.MetricKeyAndValue> a =
          byKey(slice.getValue().getMetricKeysAndValuesList());
      Map<MetricKey, MetricsForSlice.MetricKeyAndValue> b =
          byKey(got.get(slice.getKey()).getMetricKeysAndValuesList());
      assertEquals(slice.getKey() + ": metric keys", a.keySet(), b.keySet());
      for (Map.Entry<MetricKey, MetricsForSlice.MetricKeyAndValue> metric : a.entrySet()) {
        comparison.compare(
            slice.getKey() + " " + metric.getKey().getName(),
            metric.getValue(),
            b.get(metric.getKey()));
        comparison.values++;
      }
    }
    Map<String, PlotsForSlice> wantPlots =
        bySlice(EvalResultReader.plots(expected), ResultComparison::name);
    Map<String, PlotsForSlice> gotPlots =
        bySlice(EvalResultReader.plots(actual), ResultComparison::name);
    assertEquals("slices with plots", wantPlots.keySet(), gotPlots.keySet());
    for (Map.Entry<String, PlotsForSlice> slice : wantPlots.entrySet()) {
      comparison.compare(slice.getKey() + " plots", slice.getValue(), gotPlots.get(slice.getKey()));
      comparison.values++;
    }
    assertEquals(
        "run summary",
        EvalResultReader.runSummary(expected).getExamplesEvaluated(),
        EvalResultReader.runSummary(actual).getExamplesEvaluated());
    assertTrue("compared nothing", comparison.values > 0);
    return comparison;
  }

  private static <T> Map<String, T> bySlice(List<T> results, Function<T, String> name) {
    Map<String, T> result = new HashMap<>();
    for (T item : results) {
      assertTrue("two records of " + name.apply(item), result.put(name.apply(item), item) == null);
    }
    return result;
  }

  /** A record's slice, or for a cross-slice record "baseline vs comparison". */
  static String name(MetricsForSlice metrics) {
    return metrics.hasCrossSliceKey()
        ? name(metrics.getCrossSliceKey())
        : SliceKey.fromProto(metrics.getSliceKey()).toString();
  }

  static String name(PlotsForSlice plots) {
    return plots.hasCrossSliceKey()
        ? name(plots.getCrossSliceKey())
        : SliceKey.fromProto(plots.getSliceKey()).toString();
  }

  private static String name(io.fairbeam.proto.tfma.CrossSliceKey key) {
    return SliceKey.fromProto(key.getBaselineSliceKey())
        + " vs "
        + SliceKey.fromProto(key.getComparisonSliceKey());
  }

  private static Map<MetricKey, MetricsForSlice.MetricKeyAndValue> byKey(
      List<MetricsForSlice.MetricKeyAndValue> list) {
    Map<MetricKey, MetricsForSlice.MetricKeyAndValue> result = new HashMap<>();
    list.forEach(kv -> result.put(kv.getKey(), kv));
    return result;
  }

  private void compare(String where, Message want, Message got) {
    assertEquals(where + ": type", want.getDescriptorForType(), got.getDescriptorForType());
    for (FieldDescriptor field : want.getDescriptorForType().getFields()) {
      String path = where + "." + field.getName();
      if (field.isRepeated()) {
        int n = want.getRepeatedFieldCount(field);
        assertEquals(path + ": length", n, got.getRepeatedFieldCount(field));
        for (int i = 0; i < n; i++) {
          compareValue(
              path + "[" + i + "]",
              field,
              want.getRepeatedField(field, i),
              got.getRepeatedField(field, i));
        }
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        assertEquals(path + ": presence", want.hasField(field), got.hasField(field));
        if (want.hasField(field)) {
          compare(path, (Message) want.getField(field), (Message) got.getField(field));
        }
      } else {
        compareValue(path, field, want.getField(field), got.getField(field));
      }
    }
  }

  private void compareValue(String path, FieldDescriptor field, Object want, Object got) {
    switch (field.getJavaType()) {
      case MESSAGE -> compare(path, (Message) want, (Message) got);
      case DOUBLE, FLOAT -> {
        double a = ((Number) want).doubleValue();
        double b = ((Number) got).doubleValue();
        if (Double.compare(a, b) == 0) {
          identicalDoubles++;
        } else {
          double scale = Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
          assertTrue(
              path + ": " + a + " against " + b, Math.abs(a - b) <= RELATIVE_TOLERANCE * scale);
          closeDoubles++;
        }
      }
      default -> assertEquals(path, want, got);
    }
  }

  @Override
  public String toString() {
    return values
        + " metric and plot values; of their doubles "
        + identicalDoubles
        + " identical, "
        + closeDoubles
        + " within "
        + RELATIVE_TOLERANCE
        + " (summation order)";
  }
}
