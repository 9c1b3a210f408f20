package io.fairbeam.cli;

import io.fairbeam.eval.DecisionTests;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.io.ResultFiles;
import io.fairbeam.io.TfmaNames;
import io.fairbeam.metrics.FairnessIndicators.Rate;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.Estimate;
import io.fairbeam.proto.GapSide;
import io.fairbeam.proto.GapTest;
import io.fairbeam.proto.IntervalSettings;
import io.fairbeam.proto.ReportDecision;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.report.ReportDecisions;
import io.fairbeam.report.SeriesNames;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The terminal summary of a result, read back from the written metrics files (so it shows what
 * TFMA's tools will show): per slice, the example count and the Fairness Indicators at each
 * threshold, then the other scalar metrics; with several models, a line per model and per
 * difference from the baseline; after the slices, a line per cross-slice comparison ("baseline -
 * comparison").
 */
final class ReportTable {
  private static final Pattern FAIRNESS_KEY = Pattern.compile("^(.+)/(\\w+)@([0-9.]+)$");

  private ReportTable() {}

  /**
   * One line of a table: a slice, and for several models the model (a difference from the baseline
   * is its own line).
   */
  private record Row(Subject slice, String model) {
    String label(boolean withModel) {
      return withModel ? slice + "  " + model : slice.toString();
    }
  }

  /**
   * What a metrics record describes: a slice, or a cross-slice comparison (shown as "baseline -
   * comparison", which is what its values are). Slices come first, then comparisons.
   */
  private record Subject(SliceKey slice, SliceKey comparison) implements Comparable<Subject> {
    static Subject of(MetricsForSlice metrics) {
      return metrics.hasCrossSliceKey()
          ? new Subject(
              SliceKey.fromProto(metrics.getCrossSliceKey().getBaselineSliceKey()),
              SliceKey.fromProto(metrics.getCrossSliceKey().getComparisonSliceKey()))
          : new Subject(SliceKey.fromProto(metrics.getSliceKey()), null);
    }

    @Override
    public int compareTo(Subject other) {
      if ((comparison == null) != (other.comparison == null)) {
        return comparison == null ? -1 : 1;
      }
      int bySlice = slice.compareTo(other.slice);
      return bySlice != 0 || comparison == null ? bySlice : comparison.compareTo(other.comparison);
    }

    @Override
    public String toString() {
      return comparison == null ? slice.toString() : slice + " - " + comparison;
    }
  }

  private static String modelLabel(MetricKey key, SeriesNames names) {
    String series = names.of(key);
    return key.getIsDiff() ? series + " - baseline" : series;
  }

  /** The most slices and comparisons the tables show; the result files hold all of them. */
  static final int SUBJECTS_SHOWN = 40;

  static String render(Path resultDirectory) throws IOException {
    RunSummary summary =
        Files.exists(resultDirectory.resolve(ResultFiles.RUN_SUMMARY))
            ? EvalResultReader.runSummary(resultDirectory)
            : RunSummary.getDefaultInstance();
    SeriesNames names = SeriesNames.of(summary);
    DisparityReport disparities = EvalResultReader.disparities(resultDirectory);
    Shown shown = shown(resultDirectory, disparities);
    Map<Subject, MetricsForSlice> slices = shown.subjects();
    Set<String> models = new LinkedHashSet<>();
    for (MetricsForSlice metrics : slices.values()) {
      metrics
          .getMetricKeysAndValuesList()
          .forEach(kv -> models.add(modelLabel(kv.getKey(), names)));
    }
    if (models.isEmpty()) {
      models.add("");
    }
    boolean withModel = models.size() > 1 || !models.contains("");
    List<Row> rows = new ArrayList<>();
    for (Subject slice : slices.keySet()) {
      models.forEach(model -> rows.add(new Row(slice, model)));
    }
    // fairness name -> threshold text -> row -> rate -> value
    Map<String, Map<String, Map<Row, Map<String, Double>>>> fairness = new LinkedHashMap<>();
    Map<Row, Map<String, Double>> scalars = new LinkedHashMap<>();
    rows.forEach(row -> scalars.put(row, new LinkedHashMap<>()));
    Set<String> scalarNames = new LinkedHashSet<>();
    // row -> metric name -> {lower, upper}, for metrics with a confidence interval
    Map<Row, Map<String, double[]>> bounds = new LinkedHashMap<>();
    int degreesOfFreedom = 0;
    for (Map.Entry<Subject, MetricsForSlice> entry : slices.entrySet()) {
      for (MetricsForSlice.MetricKeyAndValue kv : entry.getValue().getMetricKeysAndValuesList()) {
        MetricValue value = kv.getValue();
        if (!value.hasDoubleValue()) {
          continue;
        }
        Row row = new Row(entry.getKey(), modelLabel(kv.getKey(), names));
        String name = kv.getKey().getName();
        double v = value.getDoubleValue().getValue();
        if (kv.hasConfidenceInterval()) {
          bounds
              .computeIfAbsent(row, k -> new LinkedHashMap<>())
              .put(
                  name,
                  new double[] {
                    kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue(),
                    kv.getConfidenceInterval().getUpperBound().getDoubleValue().getValue()
                  });
          degreesOfFreedom = (int) kv.getConfidenceInterval().getDegreesOfFreedom().getValue();
        }
        Matcher m = FAIRNESS_KEY.matcher(name);
        if (m.matches() && Rate.byKeyName(m.group(2)) != null) {
          fairness
              .computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
              .computeIfAbsent(m.group(3), k -> new LinkedHashMap<>())
              .computeIfAbsent(row, k -> new LinkedHashMap<>())
              .put(m.group(2), v);
        } else {
          scalars.get(row).put(name, v);
          scalarNames.add(name);
        }
      }
    }

    int sliceWidth =
        Math.max(20, rows.stream().mapToInt(r -> r.label(withModel).length()).max().orElse(0) + 2);
    StringBuilder out = new StringBuilder();
    for (var byName : fairness.entrySet()) {
      for (var byThreshold : byName.getValue().entrySet()) {
        out.append(
            String.format(Locale.ROOT, "%n%s @ %s%n", byName.getKey(), byThreshold.getKey()));
        out.append(
            leftColumns(sliceWidth, withModel ? "slice  model" : "slice", TfmaNames.EXAMPLE_COUNT));
        for (Rate rate : Rate.values()) {
          out.append(String.format(Locale.ROOT, "%9s", rate.heading()));
        }
        out.append('\n');
        for (Row row : rows) {
          Map<String, Double> rates = byThreshold.getValue().get(row);
          if (rates == null
              && byThreshold.getValue().keySet().stream()
                  .anyMatch(other -> other.slice().equals(row.slice()))) {
            // A series without these rates (a multi-class model's counts, beside its classes).
            continue;
          }
          out.append(leftColumns(sliceWidth, row.label(withModel), count(scalars.get(row))));
          if (rates == null) {
            out.append("  ").append(suppressedNote(slices.get(row.slice()))).append('\n');
            continue;
          }
          for (Rate rate : Rate.values()) {
            out.append(String.format(Locale.ROOT, "%9s", number(rates.get(rate.keyName()))));
          }
          out.append('\n');
        }
      }
    }
    List<String> others = new ArrayList<>(scalarNames);
    others.remove(TfmaNames.EXAMPLE_COUNT);
    if (!others.isEmpty()) {
      out.append(String.format(Locale.ROOT, "%nOther metrics%n"));
      out.append(
          leftColumns(sliceWidth, withModel ? "slice  model" : "slice", TfmaNames.EXAMPLE_COUNT));
      for (String name : others) {
        out.append(String.format(Locale.ROOT, "%" + Math.max(12, name.length() + 2) + "s", name));
      }
      out.append('\n');
      for (Row row : rows) {
        out.append(leftColumns(sliceWidth, row.label(withModel), count(scalars.get(row))));
        for (String name : others) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "%" + Math.max(12, name.length() + 2) + "s",
                  number(scalars.get(row).get(name))));
        }
        out.append('\n');
      }
    }
    if (!bounds.isEmpty()) {
      StringBuilder intervals = new StringBuilder();
      intervals.append(intervalsHeader(summary, degreesOfFreedom));
      appendIntervals(
          intervals,
          rows,
          withModel,
          fairness,
          scalars,
          others,
          bounds::containsKey,
          (row, key) -> {
            double[] interval = bounds.get(row).get(key);
            // A Fairness Indicator's line shows its value even without an interval.
            return interval == null && !FAIRNESS_KEY.matcher(key).matches()
                ? "-"
                : withInterval(value(fairness, scalars, row, key), interval);
          });
      out.append(intervals.toString().replaceAll(" +\n", "\n"));
    }
    Map<Row, Map<String, ReportDecision>> decisions =
        decisions(resultDirectory, summary, slices.keySet());
    if (!decisions.isEmpty()) {
      StringBuilder intervals = new StringBuilder();
      intervals.append(decisionsHeader(summary));
      appendIntervals(
          intervals,
          rows,
          withModel,
          fairness,
          scalars,
          others,
          decisions::containsKey,
          (row, key) -> decisionCell(decisions.get(row).get(key)));
      out.append(intervals.toString().replaceAll(" +\n", "\n"));
    }
    if (slices.size() < shown.total()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%nShown: %,d of %,d slices and comparisons (Overall, the slices of the largest"
                  + " disparities, then the largest slices); the result's metrics file holds"
                  + " all of them.%n",
              slices.size(),
              shown.total()));
    }
    appendDisparities(out, disparities, names);
    return out.toString();
  }

  /** The subjects the tables show, in order, of {@code total} in the result. */
  private record Shown(Map<Subject, MetricsForSlice> subjects, long total) {}

  /**
   * The subjects the tables show: all of them up to {@link #SUBJECTS_SHOWN}; beyond, Overall, the
   * max and min slices of the largest disparities, then the slices with the most examples. The
   * records are read one at a time and a bounded queue keeps the largest, so a million slices are
   * neither held nor sorted.
   */
  private static Shown shown(Path resultDirectory, DisparityReport disparities) throws IOException {
    // Compared as protos, so that no record's key is converted unless it is shown.
    Set<io.fairbeam.proto.tfma.SliceKey> wanted = new LinkedHashSet<>();
    wanted.add(SliceKey.OVERALL.toProto());
    List<Disparity> largest = new ArrayList<>(disparities.getDisparitiesList());
    largest.sort(Comparator.comparingDouble((Disparity d) -> -d.getDifference().getValue()));
    for (Disparity d : largest) {
      if (wanted.size() >= SUBJECTS_SHOWN) {
        break;
      }
      wanted.add(d.getMaxSlice());
      wanted.add(d.getMinSlice());
    }
    Map<io.fairbeam.proto.tfma.SliceKey, MetricsForSlice> named = new LinkedHashMap<>();
    // Every record while there are few; past SUBJECTS_SHOWN others, only the largest.
    List<MetricsForSlice> first = new ArrayList<>();
    // Each record's size found once: the queue compares sizes O(log n) times per record.
    PriorityQueue<Sized> biggest = new PriorityQueue<>(Comparator.comparingDouble(Sized::size));
    long[] total = {0};
    EvalResultReader.forEachMetrics(
        resultDirectory,
        metrics -> {
          total[0]++;
          if (first.size() <= SUBJECTS_SHOWN) {
            first.add(metrics);
          }
          if (!metrics.hasCrossSliceKey() && wanted.contains(metrics.getSliceKey())) {
            named.put(metrics.getSliceKey(), metrics);
            return;
          }
          double size = exampleCount(metrics);
          if (biggest.size() < SUBJECTS_SHOWN || size > biggest.peek().size()) {
            biggest.add(new Sized(metrics, size));
            if (biggest.size() > SUBJECTS_SHOWN) {
              biggest.poll();
            }
          }
        });
    Map<Subject, MetricsForSlice> shown = new TreeMap<>();
    if (total[0] <= SUBJECTS_SHOWN) {
      first.forEach(metrics -> shown.put(Subject.of(metrics), metrics));
      return new Shown(shown, total[0]);
    }
    for (io.fairbeam.proto.tfma.SliceKey key : wanted) {
      if (named.containsKey(key) && shown.size() < SUBJECTS_SHOWN) {
        shown.put(Subject.of(named.get(key)), named.get(key));
      }
    }
    List<Sized> bySize = new ArrayList<>(biggest);
    bySize.sort(Comparator.comparingDouble((Sized m) -> -m.size()));
    for (Sized sized : bySize) {
      if (shown.size() == SUBJECTS_SHOWN) {
        break;
      }
      shown.put(Subject.of(sized.metrics()), sized.metrics());
    }
    return new Shown(shown, total[0]);
  }

  /** A metrics record with its example count. */
  private record Sized(MetricsForSlice metrics, double size) {}

  private static double exampleCount(MetricsForSlice metrics) {
    for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
      if (kv.getKey().getName().equals(TfmaNames.EXAMPLE_COUNT)
          && !kv.getKey().getIsDiff()
          && kv.getValue().hasDoubleValue()) {
        return kv.getValue().getDoubleValue().getValue();
      }
    }
    return 0;
  }

  /** A confidence level as a percentage without trailing zeros: 0.95 as "95", 0.975 as "97.5". */
  private static String percent(double level) {
    return BigDecimal.valueOf(level).movePointRight(2).stripTrailingZeros().toPlainString();
  }

  /** How many significant disparities the report lists. */
  private static final int DISPARITIES_SHOWN = 10;

  /**
   * The largest group disparities that are significant after Holm's adjustment, largest difference
   * first: the gap the run tested (between the slices with enough examples behind the metric), its
   * interval, its two slices with theirs and the example counts behind them, and its adjusted
   * p-value.
   */
  private static void appendDisparities(
      StringBuilder out, DisparityReport report, SeriesNames names) {
    List<Disparity> significant = new ArrayList<>();
    for (Disparity disparity : report.getDisparitiesList()) {
      if (disparity.getSignificant() && disparity.hasTest()) {
        significant.add(disparity);
      }
    }
    if (significant.isEmpty()) {
      return;
    }
    significant.sort(
        Comparator.comparingDouble((Disparity d) -> d.getTest().getDifference().getLowerBound())
            .reversed());
    out.append(
        String.format(
            Locale.ROOT,
            "%nLargest significant group disparities (%d of %d; Holm-adjusted, %s%% confidence),"
                + " high - low [interval]%n",
            Math.min(DISPARITIES_SHOWN, significant.size()),
            report.getDisparitiesCount(),
            percent(report.getConfidenceLevel())));
    for (Disparity d : significant.subList(0, Math.min(DISPARITIES_SHOWN, significant.size()))) {
      GapTest test = d.getTest();
      Estimate difference = test.getDifference();
      out.append(
          String.format(
              Locale.ROOT,
              "  %s by %s: %.3f [%.3f, %.3f], %s vs %s, ratio %.3f, p = %.2g%n",
              d.getMetricKey().getName().replace("fairness_indicators_metrics/", "")
                  + (names.of(d.getMetricKey()).isEmpty()
                      ? ""
                      : " (" + names.of(d.getMetricKey()) + ")"),
              String.join(" x ", d.getFeatureKeysList()),
              difference.getValue(),
              difference.getLowerBound(),
              difference.getUpperBound(),
              side(test.getHigh()),
              side(test.getLow()),
              test.getRatio().getValue(),
              d.getAdjustedPValue()));
    }
  }

  /** "race=Caucasian 0.236 [0.218, 0.255] (n = 1,281)": a tested slice and what is behind it. */
  private static String side(GapSide side) {
    Estimate value = side.getValue();
    String slice = SliceKey.fromProto(side.getSlice()).toString();
    if (!value.getHasInterval()) {
      return String.format(
          Locale.ROOT, "%s %.3f (n = %,.0f)", slice, value.getValue(), side.getCount());
    }
    return String.format(
        Locale.ROOT,
        "%s %.3f [%.3f, %.3f] (n = %,.0f)",
        slice,
        value.getValue(),
        value.getLowerBound(),
        value.getUpperBound(),
        side.getCount());
  }

  /**
   * The line naming how the intervals were computed, from the run's {@code fairbeam_run.json} (or,
   * without it, their degrees of freedom).
   */
  private static String intervalsHeader(RunSummary summary, int degreesOfFreedom) {
    if (!summary.hasConfidenceIntervals()) {
      return String.format(
          Locale.ROOT,
          "%nConfidence intervals (%d degrees of freedom), shown as value [lower, upper]%n",
          degreesOfFreedom);
    }
    IntervalSettings settings = summary.getConfidenceIntervals();
    String method =
        settings.getMethod().equals("POISSON_BOOTSTRAP")
            ? "TFMA's Poisson bootstrap over %d replicates"
            : "TFMA's jackknife over %d samples";
    return String.format(
        Locale.ROOT,
        "%nConfidence intervals: %s%%, " + method + " (seed %s), shown as value [lower, upper]%n",
        percent(settings.getLevel()),
        settings.getSamples(),
        Long.toUnsignedString(settings.getSeed()));
  }

  /** The value of metric {@code key} of {@code row}, a Fairness Indicator or another. */
  private static Double value(
      Map<String, Map<String, Map<Row, Map<String, Double>>>> fairness,
      Map<Row, Map<String, Double>> scalars,
      Row row,
      String key) {
    Matcher m = FAIRNESS_KEY.matcher(key);
    if (m.matches() && fairness.containsKey(m.group(1))) {
      Map<Row, Map<String, Double>> byRow = fairness.get(m.group(1)).get(m.group(3));
      Map<String, Double> rates = byRow == null ? null : byRow.get(row);
      return rates == null ? null : rates.get(m.group(2));
    }
    return scalars.get(row).get(key);
  }

  /**
   * Fairbeam's decision intervals of the shown slices (not of comparisons or model differences),
   * computed from the result's counts with the run's settings; empty for a result without them.
   */
  private static Map<Row, Map<String, ReportDecision>> decisions(
      Path resultDirectory, RunSummary summary, Set<Subject> shown) throws IOException {
    Map<io.fairbeam.proto.tfma.SliceKey, Subject> wanted = new LinkedHashMap<>();
    for (Subject subject : shown) {
      if (subject.comparison() == null) {
        wanted.put(subject.slice().toProto(), subject);
      }
    }
    Map<Row, Map<String, ReportDecision>> result = new LinkedHashMap<>();
    String suffix = ReportDecisions.DIFF_SUFFIX;
    ReportDecisions.read(resultDirectory, summary, wanted::containsKey)
        .forEach(
            (key, byModel) ->
                byModel.forEach(
                    (model, decisions) ->
                        decisions.forEach(
                            (name, decision) -> {
                              // A model's change is its own line, as in the tables above.
                              boolean change = name.endsWith(suffix);
                              Row row =
                                  new Row(wanted.get(key), change ? model + " - baseline" : model);
                              result
                                  .computeIfAbsent(row, r -> new LinkedHashMap<>())
                                  .put(
                                      change
                                          ? name.substring(0, name.length() - suffix.length())
                                          : name,
                                      decision);
                            })));
    return result;
  }

  /** The header of the decision intervals: how they are computed. */
  private static String decisionsHeader(RunSummary summary) {
    DecisionTests tests = DecisionTests.of(summary.getDecisionIntervals());
    return String.format(
        Locale.ROOT,
        "%nDecision intervals (what findings and gates decide on): %s%%, %s for a rate, %s for an"
            + " AUC, from the counts; shown as value [lower, upper] successes/examples (an AUC:"
            + " positives+negatives; a model's change, paired on the same examples: those only the"
            + " candidate counts vs those only the baseline counts, of the examples)%n",
        percent(tests.level()),
        tests.rateMethod(),
        tests.aucMethod());
  }

  /** "0.500 [0.187, 0.813] 5/10", or the AUC's "0.910 [0.81, 0.96] 40+60". */
  private static String decisionCell(ReportDecision d) {
    if (d == null) {
      return "-";
    }
    String behind =
        d.hasOnlyCandidate()
            ? whole(d.getOnlyCandidate())
                + " vs "
                + whole(d.getOnlyBaseline())
                + " of "
                + whole(d.getCount())
            : d.hasNegatives()
                ? whole(d.getCount()) + "+" + whole(d.getNegatives())
                : whole(d.getCount() > 0 ? d.getValue() * d.getCount() : 0)
                    + "/"
                    + whole(d.getCount());
    if (d.hasMissing()) {
      return short3(d.getValue()) + " (none) " + behind;
    }
    return short3(d.getValue())
        + " ["
        + short3(d.getLowerBound())
        + ", "
        + short3(d.getUpperBound())
        + "] "
        + behind;
  }

  /** A count as a whole number where it is one (unweighted), else with one decimal. */
  private static String whole(double count) {
    return Math.abs(count - Math.rint(count)) < 1e-6
        ? String.format(Locale.ROOT, "%d", Math.round(count))
        : String.format(Locale.ROOT, "%.1f", count);
  }

  /**
   * Values with intervals, as {@code cell} shows them, a block per slice that {@code hasAny}: a
   * line per Fairness Indicator with a column per threshold, then a line per other metric.
   */
  private static void appendIntervals(
      StringBuilder out,
      List<Row> rows,
      boolean withModel,
      Map<String, Map<String, Map<Row, Map<String, Double>>>> fairness,
      Map<Row, Map<String, Double>> scalars,
      List<String> others,
      java.util.function.Predicate<Row> hasAny,
      java.util.function.BiFunction<Row, String, String> cell) {
    int labelWidth = 2 + others.stream().mapToInt(String::length).max().orElse(0);
    for (String name : fairness.keySet()) {
      for (Rate rate : Rate.values()) {
        labelWidth = Math.max(labelWidth, label(fairness, name, rate).length() + 2);
      }
    }
    int width = 24;
    for (Row row : rows) {
      if (!hasAny.test(row)) {
        continue;
      }
      for (var byName : fairness.entrySet()) {
        for (Rate rate : Rate.values()) {
          for (String threshold : byName.getValue().keySet()) {
            String key = byName.getKey() + "/" + rate.keyName() + "@" + threshold;
            width = Math.max(width, cell.apply(row, key).length() + 2);
          }
        }
      }
    }
    for (Row row : rows) {
      if (!hasAny.test(row)) {
        continue;
      }
      // A model's change has no examples of its own (its example_count is the difference, 0).
      out.append(
          row.model().endsWith(" - baseline")
              ? String.format(Locale.ROOT, "%n%s%n", row.label(withModel))
              : String.format(
                  Locale.ROOT,
                  "%n%s (%s examples)%n",
                  row.label(withModel),
                  count(scalars.get(row))));
      for (var byName : fairness.entrySet()) {
        out.append(String.format(Locale.ROOT, "  %-" + labelWidth + "s", ""));
        for (String threshold : byName.getValue().keySet()) {
          out.append(String.format(Locale.ROOT, "%-" + width + "s", "@ " + threshold));
        }
        out.append('\n');
        for (Rate rate : Rate.values()) {
          out.append(
              String.format(
                  Locale.ROOT, "  %-" + labelWidth + "s", label(fairness, byName.getKey(), rate)));
          for (String threshold : byName.getValue().keySet()) {
            String key = byName.getKey() + "/" + rate.keyName() + "@" + threshold;
            out.append(String.format(Locale.ROOT, "%-" + width + "s", cell.apply(row, key)));
          }
          out.append('\n');
        }
      }
      for (String name : others) {
        String shown = cell.apply(row, name);
        if (!shown.equals("-")) {
          out.append(String.format(Locale.ROOT, "  %-" + labelWidth + "s%s%n", name, shown));
        }
      }
    }
  }

  /** A rate's label: its heading, with the metric's name when there are several. */
  private static String label(
      Map<String, Map<String, Map<Row, Map<String, Double>>>> fairness, String name, Rate rate) {
    return fairness.size() > 1 ? name + "/" + rate.heading() : rate.heading();
  }

  private static String withInterval(Double value, double[] interval) {
    if (value == null && interval == null) {
      return "-";
    }
    String shown = value == null ? "-" : short3(value);
    return interval == null
        ? shown
        : shown + " [" + short3(interval[0]) + ", " + short3(interval[1]) + "]";
  }

  private static String short3(double value) {
    return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.3f", value);
  }

  /** The slice and example-count columns every table starts with. */
  private static String leftColumns(int sliceWidth, String slice, String count) {
    return String.format(Locale.ROOT, "%-" + sliceWidth + "s%14s", slice, count);
  }

  @SuppressWarnings("deprecation")
  private static String suppressedNote(MetricsForSlice metrics) {
    return metrics.getMetricsMap().containsKey(TfmaNames.ERROR_KEY)
        ? "suppressed: fewer examples than min_slice_size"
        : "no value";
  }

  private static String count(Map<String, Double> scalars) {
    Double count = scalars.get(TfmaNames.EXAMPLE_COUNT);
    if (count == null) {
      return "-";
    }
    return count == Math.rint(count) && Math.abs(count) < 1e15
        ? String.format(Locale.ROOT, "%,d", count.longValue())
        : String.format(Locale.ROOT, "%,.2f", count);
  }

  private static String number(Double value) {
    if (value == null) {
      return "-";
    }
    if (Double.isNaN(value)) {
      return "NaN";
    }
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
