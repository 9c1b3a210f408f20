package io.fairbeam.report;

import io.fairbeam.io.EvalResultReader;
import io.fairbeam.io.TfmaNames;
import io.fairbeam.proto.Disparity;
import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.ReportBoundedValue;
import io.fairbeam.proto.ReportDecision;
import io.fairbeam.proto.ReportFinding;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.ReportPlots;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotData;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a result directory in TFMA's layout (Fairbeam's, or TFMA's own) into the data a report
 * embeds: per slice and model the scalar metrics, as the Fairness Indicators viewer took them, with
 * the run, the verdict, the disparities and the constraints where the directory has them.
 */
public final class ReportDataReader {
  /**
   * The most slices (and cross slices) a report embeds: past it, a page would grow by several KB a
   * slice (a 100,000-slice run would give a page of hundreds of MB that no browser opens).
   */
  public static final int SLICES_EMBEDDED = 1_000;

  /**
   * The slices a page details when the result has more than {@link #SLICES_EMBEDDED}: the rest are
   * in its compact index of all slices, which keeps a 100,000-slice page under 10 MB.
   */
  public static final int SLICES_DETAILED = 500;

  private ReportDataReader() {}

  /**
   * The report data of {@code directory}, shown as {@code location}, its gaps judged against the
   * parity band {@code parityRatio} (0.8: the four-fifths rule).
   */
  public static ReportResult read(Path directory, String location, double parityRatio)
      throws IOException {
    ReportResult.Builder result = ReportResult.newBuilder().setLocation(location);
    if (Files.exists(directory.resolve(io.fairbeam.io.ResultFiles.EVAL_CONFIG))) {
      result.setEvalRun(EvalResultReader.evalRun(directory));
    }
    if (Files.exists(directory.resolve(io.fairbeam.io.ResultFiles.RUN_SUMMARY))) {
      result.setRun(EvalResultReader.runSummary(directory));
    }
    if (Files.exists(directory.resolve(io.fairbeam.io.ResultFiles.VALIDATIONS))) {
      result.setValidation(EvalResultReader.validation(directory));
    }
    SeriesNames names = SeriesNames.of(result.getRun());
    result.setDisparities(EvalResultReader.disparities(directory));
    result.setConstraints(EvalResultReader.constraints(directory));
    List<ReportSlice> slices = new ArrayList<>();
    List<MetricsForSlice> suppressed = new ArrayList<>();
    Map<String, SliceKey> keys = new HashMap<>();
    for (MetricsForSlice metrics : EvalResultReader.metrics(directory)) {
      slices.addAll(slices(metrics, names));
      if (metrics.hasSliceKey()) {
        SliceKey key = SliceKey.fromProto(metrics.getSliceKey());
        keys.put(key.label(), key);
      }
      if (suppressedMessage(metrics) != null) {
        suppressed.add(metrics);
      }
    }
    // A slice min_slice_size suppressed has only TFMA's error, for no model: it is shown, with the
    // reason, under each model of the result.
    Set<String> models = new LinkedHashSet<>();
    slices.forEach(s -> models.add(s.getModel()));
    if (models.isEmpty()) {
      models.add("");
    }
    for (MetricsForSlice metrics : suppressed) {
      ReportMetricValue error =
          ReportMetricValue.newBuilder().setError(suppressedMessage(metrics)).build();
      for (String model : models) {
        slices.add(describe(metrics, model).putMetrics(TfmaNames.ERROR_KEY, error).build());
      }
    }
    slices.sort(
        Comparator.comparing(ReportSlice::getCross)
            .thenComparing(s -> !s.getSlice().equals("Overall"))
            .thenComparing(ReportSlice::getSlice));
    List<ReportPlots> plots = new ArrayList<>();
    for (PlotsForSlice plot : EvalResultReader.plots(directory)) {
      plots.addAll(plots(plot, names));
    }
    plots.sort(
        Comparator.comparing((ReportPlots p) -> !p.getSlice().equals("Overall"))
            .thenComparing(ReportPlots::getSlice));
    List<ReportFinding> findings =
        ReportFindings.of(slices, result.getDisparities(), parityRatio, names);
    Set<String> all = new LinkedHashSet<>();
    slices.forEach(s -> all.add(s.getSlice()));
    Set<String> embedded = embedded(slices, all, findings, result.getDisparities());
    if (embedded != all) {
      result.setSliceIndex(ReportSliceIndexBuilder.of(slices, keys));
    }
    List<ReportSlice> shown =
        embedded == all
            ? slices
            : slices.stream().filter(s -> embedded.contains(s.getSlice())).toList();
    return result
        .setSliceCount(all.size())
        .addAllSlicingMetrics(withDecisions(directory, result.getRun(), shown, embedded))
        .addAllPlots(
            embedded == all
                ? plots
                : plots.stream().filter(p -> embedded.contains(p.getSlice())).toList())
        .addAllFindings(findings)
        .build();
  }

  /**
   * {@code slices} with their decision intervals, computed from the result's {@code
   * fairbeam_decisions} counts for the slices in {@code shown} alone (a Clopper-Pearson interval
   * costs about 12 µs: a page's thousand slices of 30 rates, a third of a second).
   */
  private static List<ReportSlice> withDecisions(
      Path directory, RunSummary run, List<ReportSlice> slices, Set<String> shown)
      throws IOException {
    Map<io.fairbeam.proto.tfma.SliceKey, Map<String, Map<String, ReportDecision>>> read =
        ReportDecisions.read(
            directory, run, key -> shown.contains(SliceKey.fromProto(key).toString()));
    // slice + "|" + model -> metric name -> interval
    Map<String, Map<String, ReportDecision>> bySlice = new HashMap<>();
    read.forEach(
        (key, byModel) -> {
          String slice = SliceKey.fromProto(key).toString();
          byModel.forEach((model, decisions) -> bySlice.put(slice + "|" + model, decisions));
        });
    if (bySlice.isEmpty()) {
      return slices;
    }
    List<ReportSlice> result = new ArrayList<>(slices.size());
    for (ReportSlice slice : slices) {
      Map<String, ReportDecision> decisions =
          bySlice.get(slice.getSlice() + "|" + slice.getModel());
      result.add(
          decisions == null || slice.getCross()
              ? slice
              : slice.toBuilder().putAllDecisions(decisions).build());
    }
    return result;
  }

  /**
   * The slices the page embeds: {@code all} up to {@link #SLICES_EMBEDDED}; beyond, Overall, both
   * sides of every finding and disparity, then the slices with the most examples, up to {@link
   * #SLICES_DETAILED} in all.
   */
  private static Set<String> embedded(
      List<ReportSlice> slices,
      Set<String> all,
      List<ReportFinding> findings,
      DisparityReport disparities) {
    if (all.size() <= SLICES_EMBEDDED) {
      return all;
    }
    Set<String> embedded = new LinkedHashSet<>();
    embedded.add(SliceKey.OVERALL.toString());
    for (ReportFinding finding : findings) {
      embedded.add(finding.getHigh().getSlice());
      embedded.add(finding.getLow().getSlice());
    }
    for (Disparity d : disparities.getDisparitiesList()) {
      embedded.add(SliceKey.fromProto(d.getMaxSlice()).toString());
      embedded.add(SliceKey.fromProto(d.getMinSlice()).toString());
    }
    Map<String, Double> examples = new LinkedHashMap<>();
    for (ReportSlice slice : slices) {
      ReportMetricValue count = slice.getMetricsMap().get(TfmaNames.EXAMPLE_COUNT);
      double n = count == null ? 0 : count.getDoubleValue();
      examples.merge(slice.getSlice(), n, Math::max);
    }
    examples.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(Map.Entry::getKey)
        .takeWhile(s -> embedded.size() < SLICES_DETAILED)
        .forEach(embedded::add);
    return embedded;
  }

  /** The curves of one plots record, per model; none for cross slices. */
  static List<ReportPlots> plots(PlotsForSlice plot, SeriesNames names) {
    Map<String, ReportPlots.Builder> byModel = new LinkedHashMap<>();
    if (!plot.hasSliceKey()) {
      return List.of();
    }
    SliceKey key = SliceKey.fromProto(plot.getSliceKey());
    for (PlotsForSlice.PlotKeyAndValue kv : plot.getPlotKeysAndValuesList()) {
      if (isScoreDistribution(kv.getValue())) {
        continue;
      }
      String model =
          names.of(
              kv.getKey().getModelName(), kv.getKey().getOutputName(), kv.getKey().getSubKey());
      String modelName = kv.getKey().getModelName();
      ReportCurves.add(
          kv.getValue(),
          byModel.computeIfAbsent(
              model,
              m ->
                  ReportPlots.newBuilder()
                      .setSlice(key.toString())
                      .setModel(m)
                      .setLabel(key.label())),
          c -> names.classLabel(modelName, c));
    }
    return byModel.values().stream()
        .map(ReportPlots.Builder::build)
        .filter(p -> p.getRocCount() + p.getCalibrationCount() > 0 || p.hasClassMatrix())
        .collect(Collectors.toList());
  }

  /**
   * Whether {@code plot} is a {@code ScoreDistributionPlot} (under any name): confusion matrices
   * with no false positive or negative and zero precision and recall at every threshold, which are
   * not a ROC curve.
   */
  static boolean isScoreDistribution(PlotData plot) {
    if (!plot.hasConfusionMatrixAtThresholds()
        || plot.getConfusionMatrixAtThresholds().getMatricesCount() == 0) {
      return false;
    }
    return plot.getConfusionMatrixAtThresholds().getMatricesList().stream()
        .allMatch(
            m ->
                m.getFalsePositives() == 0
                    && m.getFalseNegatives() == 0
                    && m.getPrecision() == 0
                    && m.getRecall() == 0);
  }

  /** TFMA's message on a slice min_slice_size suppressed, in its (deprecated) metrics map. */
  @SuppressWarnings("deprecation")
  private static String suppressedMessage(MetricsForSlice metrics) {
    MetricValue error = metrics.getMetricsMap().get(TfmaNames.ERROR_KEY);
    return error == null ? null : error.getDebugMessage();
  }

  /** One entry per model (and sub-key) of {@code metrics}, in model order. */
  static List<ReportSlice> slices(MetricsForSlice metrics, SeriesNames names) {
    Map<String, ReportSlice.Builder> byModel = new LinkedHashMap<>();
    for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
      ReportMetricValue value = value(kv);
      if (value == null) {
        continue;
      }
      String model = names.of(kv.getKey());
      ReportSlice.Builder slice = byModel.computeIfAbsent(model, m -> describe(metrics, m));
      slice.putMetrics(kv.getKey().getName() + (kv.getKey().getIsDiff() ? "_diff" : ""), value);
    }
    return byModel.values().stream().map(ReportSlice.Builder::build).collect(Collectors.toList());
  }

  private static ReportSlice.Builder describe(MetricsForSlice metrics, String model) {
    ReportSlice.Builder slice = ReportSlice.newBuilder().setModel(model);
    if (metrics.hasCrossSliceKey()) {
      SliceKey baseline = SliceKey.fromProto(metrics.getCrossSliceKey().getBaselineSliceKey());
      SliceKey comparison = SliceKey.fromProto(metrics.getCrossSliceKey().getComparisonSliceKey());
      return slice
          .setCross(true)
          .setSlice(baseline + " - " + comparison)
          .setSliceValue(value(baseline) + " - " + value(comparison))
          .setLabel(SliceKey.label(metrics.getCrossSliceKey()));
    }
    SliceKey key = SliceKey.fromProto(metrics.getSliceKey());
    return slice
        .setSlice(key.toString())
        .setSliceValue(value(key))
        .setLabel(key.label())
        .setFeature(
            key.columns().stream().map(SliceKey.Column::name).collect(Collectors.joining(" × ")));
  }

  /** The viewer's bar label: the values alone. */
  private static String value(SliceKey key) {
    if (key.isOverall()) {
      return "Overall";
    }
    return key.columns().stream().map(c -> c.value().toString()).collect(Collectors.joining("_X_"));
  }

  /** A scalar metric's value, its interval, or its error; null for arrays, matrices and plots. */
  static ReportMetricValue value(MetricsForSlice.MetricKeyAndValue metric) {
    MetricValue value = metric.getValue();
    if (value.hasDoubleValue() && metric.hasConfidenceInterval()) {
      return ReportMetricValue.newBuilder()
          .setBoundedValue(
              ReportBoundedValue.newBuilder()
                  .setValue(value.getDoubleValue().getValue())
                  .setLowerBound(
                      metric.getConfidenceInterval().getLowerBound().getDoubleValue().getValue())
                  .setUpperBound(
                      metric.getConfidenceInterval().getUpperBound().getDoubleValue().getValue()))
          .build();
    }
    if (value.hasDoubleValue()) {
      return ReportMetricValue.newBuilder()
          .setDoubleValue(value.getDoubleValue().getValue())
          .build();
    }
    if (value.hasBoundedValue()) {
      var b = value.getBoundedValue();
      return ReportMetricValue.newBuilder()
          .setBoundedValue(
              ReportBoundedValue.newBuilder()
                  .setValue(b.getValue().getValue())
                  .setLowerBound(b.getLowerBound().getValue())
                  .setUpperBound(b.getUpperBound().getValue()))
          .build();
    }
    if (value.getTypeCase() == MetricValue.TypeCase.DEBUG_MESSAGE) {
      return ReportMetricValue.newBuilder().setError(value.getDebugMessage()).build();
    }
    return null;
  }
}
