package io.fairbeam.report;

import io.fairbeam.io.TfmaNames;
import io.fairbeam.proto.ReportIndexColumn;
import io.fairbeam.proto.ReportIndexGroup;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.ReportSliceIndex;
import io.fairbeam.slice.SliceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a report's index of every slice with a few headline values, compactly enough that a page
 * can hold 100,000 slices' (a few MB, where the full detail of each would be hundreds): the example
 * count, then, per model, the Fairness Indicators' false positive and false negative rates (the
 * explorer opens on the first) and AUC where the result has them, else its first two metrics; each
 * at every threshold, or at the {@link #MAX_VALUE_COLUMNS} nearest 0.5 when there are more. Values
 * keep 4 decimal places (whole numbers none; {@link #decimals}): the table is for finding slices,
 * and the metrics file holds the exact values.
 */
final class ReportSliceIndexBuilder {
  /** The most metric columns besides the example count. */
  static final int MAX_VALUE_COLUMNS = 12;

  /** An index value where the slice has no finite value. */
  static final int MISSING = Integer.MIN_VALUE;

  private static final String FI = "fairness_indicators_metrics/";
  private static final List<String> HEADLINE_BASES =
      List.of(FI + "false_positive_rate", FI + "false_negative_rate", "auc");

  private ReportSliceIndexBuilder() {}

  /**
   * The index of the slices (not cross slices) among {@code slices}, one entry per model each,
   * whose keys {@code keys} gives by label.
   */
  static ReportSliceIndex of(List<ReportSlice> slices, Map<String, SliceKey> keys) {
    // Feature columns -> label -> model -> slice.
    Map<List<String>, Map<String, Map<String, ReportSlice>>> groups = new LinkedHashMap<>();
    Set<String> models = new LinkedHashSet<>();
    Set<String> metrics = new TreeSet<>();
    for (ReportSlice slice : slices) {
      SliceKey key = keys.get(slice.getLabel());
      if (slice.getCross() || key == null) {
        continue;
      }
      List<String> features = key.columns().stream().map(SliceKey.Column::name).toList();
      groups
          .computeIfAbsent(features, f -> new LinkedHashMap<>())
          .computeIfAbsent(slice.getLabel(), l -> new LinkedHashMap<>())
          .put(slice.getModel(), slice);
      models.add(slice.getModel());
      metrics.addAll(slice.getMetricsMap().keySet());
    }
    List<Map<String, ReportSlice>> rows = new ArrayList<>();
    ReportSliceIndex.Builder index = ReportSliceIndex.newBuilder();
    groups.forEach(
        (features, ofGroup) -> {
          ReportIndexGroup.Builder group =
              index.addGroupsBuilder().addAllFeatures(features).setSlices(ofGroup.size());
          ofGroup.forEach(
              (label, ofModel) -> {
                keys.get(label).columns().forEach(c -> group.addValues(c.value().toString()));
                rows.add(ofModel);
              });
        });
    List<ReportIndexColumn.Builder> columns = columns(models, metrics);
    double[][] values = new double[columns.size()][rows.size()];
    for (int c = 0; c < columns.size(); c++) {
      for (int row = 0; row < rows.size(); row++) {
        values[c][row] = value(rows.get(row), columns.get(c));
      }
      columns.get(c).setDecimals(decimals(values[c]));
      index.addColumns(columns.get(c));
    }
    for (int row = 0; row < rows.size(); row++) {
      for (int c = 0; c < columns.size(); c++) {
        index.addValues(scaled(values[c][row], index.getColumns(c).getDecimals()));
      }
    }
    return index.build();
  }

  /** The example count, then the headline metrics of each model (see the class comment). */
  private static List<ReportIndexColumn.Builder> columns(Set<String> models, Set<String> keys) {
    List<ReportIndexColumn.Builder> columns = new ArrayList<>();
    String firstModel = models.isEmpty() ? "" : models.iterator().next();
    if (keys.contains(TfmaNames.EXAMPLE_COUNT)) {
      columns.add(column(firstModel, TfmaNames.EXAMPLE_COUNT));
    }
    List<String> bases = new ArrayList<>();
    for (String base : HEADLINE_BASES) {
      if (keys.stream().anyMatch(k -> k.equals(base) || k.startsWith(base + "@"))) {
        bases.add(base);
      }
    }
    if (bases.isEmpty()) {
      keys.stream()
          .map(ReportSliceIndexBuilder::base)
          .filter(b -> !b.equals(TfmaNames.EXAMPLE_COUNT) && !b.equals(TfmaNames.ERROR_KEY))
          .filter(b -> !b.endsWith("_diff"))
          .distinct()
          .limit(2)
          .forEach(bases::add);
    }
    // Every (model, key) of the headline bases; past the limit, the thresholds nearest 0.5.
    List<String[]> candidates = new ArrayList<>();
    for (String model : models) {
      for (String base : bases) {
        for (String key : keys) {
          if (base(key).equals(base)) {
            candidates.add(new String[] {model, key});
          }
        }
      }
    }
    List<String[]> kept =
        candidates.stream()
            .sorted(Comparator.comparingDouble(c -> Math.abs(threshold(c[1]) - 0.5)))
            .limit(MAX_VALUE_COLUMNS)
            .toList();
    for (String[] candidate : candidates) {
      if (kept.contains(candidate)) {
        columns.add(column(candidate[0], candidate[1]));
      }
    }
    return columns;
  }

  private static ReportIndexColumn.Builder column(String model, String metric) {
    return ReportIndexColumn.newBuilder().setModel(model).setMetric(metric);
  }

  /** A metric key without its threshold: "fairness_indicators_metrics/false_positive_rate". */
  private static String base(String key) {
    int at = key.lastIndexOf('@');
    return at < 0 ? key : key.substring(0, at);
  }

  /** A key's threshold, 0.5 for a key without one (it always fits). */
  private static double threshold(String key) {
    int at = key.lastIndexOf('@');
    if (at < 0) {
      return 0.5;
    }
    try {
      return Double.parseDouble(key.substring(at + 1));
    } catch (NumberFormatException e) {
      return 0.5;
    }
  }

  private static double value(Map<String, ReportSlice> ofModel, ReportIndexColumn.Builder column) {
    ReportSlice slice = ofModel.get(column.getModel());
    return ReportFindings.value(
        slice == null ? null : slice.getMetricsMap().get(column.getMetric()));
  }

  /**
   * Decimal places for a column: none when every value is a whole number, else 4; fewer (negative:
   * rounded to tens, hundreds...) where the column's largest value needs it to fit a 32-bit
   * integer, which keeps at least 9 significant digits of that value.
   */
  static int decimals(double[] values) {
    double largest = 0;
    boolean whole = true;
    for (double v : values) {
      if (Double.isFinite(v)) {
        largest = Math.max(largest, Math.abs(v));
        whole &= v == Math.rint(v);
      }
    }
    int decimals = whole ? 0 : 4;
    while (largest * Math.pow(10, decimals) >= 1e9) {
      decimals--;
    }
    return decimals;
  }

  /** {@code value} times 10^decimals, rounded; {@link #MISSING} when not finite or too large. */
  static int scaled(double value, int decimals) {
    double scaled = Math.rint(value * Math.pow(10, decimals));
    if (!Double.isFinite(scaled) || Math.abs(scaled) >= Integer.MAX_VALUE) {
      return MISSING;
    }
    return (int) scaled;
  }
}
