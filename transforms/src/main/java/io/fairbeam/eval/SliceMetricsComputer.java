package io.fairbeam.eval;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.DoubleValue;
import io.fairbeam.io.TfmaNames;
import io.fairbeam.metrics.Binarization;
import io.fairbeam.metrics.IntervalEstimator;
import io.fairbeam.metrics.IntervalValues;
import io.fairbeam.metrics.LabelShare;
import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.metrics.MetricDiffs;
import io.fairbeam.metrics.MetricSink;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.PairedCounts;
import io.fairbeam.metrics.SliceAccumulator;
import io.fairbeam.metrics.SliceStatistics;
import io.fairbeam.proto.tfma.AggregationType;
import io.fairbeam.proto.tfma.ConfidenceInterval;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotData;
import io.fairbeam.proto.tfma.PlotKey;
import io.fairbeam.proto.tfma.PlotsForSlice;
import io.fairbeam.proto.tfma.SubKey;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.PairedDifferenceInterval;
import io.fairbeam.stats.Proportion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Turns one slice's finished accumulators (one per model) into TFMA's {@code MetricsForSlice} and
 * {@code PlotsForSlice}: the single path from accumulator to metric value to proto, and where model
 * differences are derived.
 *
 * <p>A non-Overall slice with fewer examples than {@code min_slice_size} gets only TFMA's {@code
 * __ERROR__} message, so no statistic of a small group leaks.
 */
@Internal
public final class SliceMetricsComputer {
  /** TFMA's key for a per-slice error message. */
  public static final String ERROR_KEY = TfmaNames.ERROR_KEY;

  /**
   * Plots TFMA writes without their name, merged into one {@code PlotData} per key (its writer
   * keeps this layout for compatibility with the viewer).
   */
  private static final java.util.Set<String> MERGED_PLOT_NAMES =
      java.util.Set.of(
          io.fairbeam.metrics.ConfusionMatrixPlot.DEFAULT_NAME,
          io.fairbeam.metrics.CalibrationPlot.DEFAULT_NAME);

  private final EvalPlan plan;

  /** The jackknife or bootstrap of the config's intervals; null without intervals. */
  private final IntervalEstimator estimator;

  /** The metric names TFMA gives no interval (counts), except as model differences. */
  private final Set<String> withoutInterval = new HashSet<>();

  public SliceMetricsComputer(EvalPlan plan) {
    this.plan = plan;
    ConfidenceIntervals intervals = plan.confidenceIntervals();
    this.estimator =
        intervals == null ? null : IntervalEstimator.of(intervals.resampling(), intervals.level());
    for (MetricDefinition metric : plan.metrics()) {
      if (!metric.hasConfidenceInterval()) {
        withoutInterval.addAll(metric.metricKeys());
      }
    }
  }

  /**
   * The metrics and plots of one slice, its values for comparisons with other slices, and, when a
   * change threshold asks for its bound, each pairable rate's change from the baseline as the 2×2
   * table of the two models' decisions (keyed by the difference's key; effective counts).
   */
  public record Result(
      MetricsForSlice metrics,
      PlotsForSlice plots,
      SliceValues values,
      Map<MetricKey, PairedDifferenceInterval.Table> pairedChanges) {
    public Result(MetricsForSlice metrics, PlotsForSlice plots, SliceValues values) {
      this(metrics, plots, values, Map.of());
    }
  }

  /**
   * The keys of the rates every slice gives a proportion for, in the order it gives them: the same
   * for every slice of a run, as the metrics are, so a slice's rates can be written by position
   * ({@link DecisionCounts}). Found by computing the metrics of an empty slice.
   */
  public List<MetricKey> rateKeys() {
    Map<MetricKey, Proportion> proportions = new LinkedHashMap<>();
    addValues(
        MetricsForSlice.newBuilder(),
        PlotsForSlice.newBuilder(),
        new ModelSink.Decisions(proportions, new LinkedHashMap<>(), new LinkedHashMap<>()),
        new ModelAccumulators(plan.accumulatorSpec(), plan.heads().size()));
    return List.copyOf(proportions.keySet());
  }

  /** Whether {@code min_slice_size} suppresses this slice. */
  public boolean suppressed(SliceKey key, ModelAccumulators accumulators) {
    return plan.minSliceSize() > 1
        && !key.isOverall()
        && accumulators.exampleCount() < plan.minSliceSize();
  }

  /**
   * The metrics and plots of one slice for every model, each key carrying its model's name, and,
   * when a baseline is configured, the other models' differences from it ({@code is_diff}).
   */
  // TFMA still carries __ERROR__ messages in the deprecated map fields.
  @SuppressWarnings("deprecation")
  public Result compute(SliceKey key, ModelAccumulators accumulators) {
    MetricsForSlice.Builder metrics = MetricsForSlice.newBuilder().setSliceKey(key.toProto());
    PlotsForSlice.Builder plots = PlotsForSlice.newBuilder().setSliceKey(key.toProto());
    if (suppressed(key, accumulators)) {
      String message =
          "Example count for this slice key is lower than the minimum required "
              + "value: "
              + plan.minSliceSize()
              + ". No data is aggregated for this slice.";
      metrics.putMetrics(ERROR_KEY, MetricValue.newBuilder().setDebugMessage(message).build());
      plots.putPlots(ERROR_KEY, PlotData.newBuilder().setDebugMessage(message).build());
      return new Result(
          metrics.build(),
          plots.build(),
          new SliceValues(key, true, Map.of(), Map.of(), List.of()));
    }
    Map<MetricKey, Proportion> proportions = new LinkedHashMap<>();
    Map<MetricKey, DeLongAucInterval.Estimate> aucs = new LinkedHashMap<>();
    Map<MetricKey, ModelSink.Pairable> pairables = new LinkedHashMap<>();
    ModelAccumulators pointEstimate = accumulators.pointEstimate();
    addValues(metrics, plots, new ModelSink.Decisions(proportions, aucs, pairables), pointEstimate);
    Map<MetricKey, MetricValue> point = valuesOf(metrics);
    Map<MetricKey, MetricValue> replicatePoint = point;
    List<Map<MetricKey, MetricValue>> replicates = List.of();
    if (estimator != null) {
      if (plan.accumulatorSpec().forReplicates() != plan.accumulatorSpec()) {
        MetricsForSlice.Builder coarse = MetricsForSlice.newBuilder();
        addValues(coarse, null, null, accumulators.pointEstimateAtReplicateResolution());
        replicatePoint = valuesOf(coarse);
      }
      replicates = replicates(accumulators);
      addIntervals(metrics, point, replicatePoint, replicates);
    }
    return new Result(
        metrics.build(),
        plots.build(),
        new SliceValues(
            key,
            false,
            point,
            replicatePoint,
            replicates,
            accumulators.exampleCount(),
            proportions,
            aucs),
        pairedChanges(pointEstimate, pairables));
  }

  /**
   * The 2×2 tables of each candidate's pairable rates against the baseline's decisions, in
   * effective counts (scaled by the slice's Σw / Σw², as proportions are); empty when the
   * accumulators keep no paired counts.
   */
  private Map<MetricKey, PairedDifferenceInterval.Table> pairedChanges(
      ModelAccumulators pointEstimate, Map<MetricKey, ModelSink.Pairable> pairables) {
    if (pairables.isEmpty() || !plan.accumulatorSpec().pairs()) {
      return Map.of();
    }
    double[] thresholds = plan.accumulatorSpec().thresholds();
    Map<MetricKey, PairedDifferenceInterval.Table> result = new LinkedHashMap<>();
    for (Head head : plan.heads()) {
      PairedCounts paired = pointEstimate.paired(head.index());
      if (paired == null) {
        continue;
      }
      SliceAccumulator slice = pointEstimate.model(head.index());
      double squares = slice.weightSquareSum();
      double scale = squares > 0 ? slice.weightedExampleCount() / squares : 0;
      SubKey subKey = subKeyOf(head);
      for (Map.Entry<MetricKey, ModelSink.Pairable> rate : pairables.entrySet()) {
        if (!rate.getKey().getModelName().equals(head.model().metricModelName())
            || !rate.getKey().getOutputName().equals(head.outputName())
            || !rate.getKey().getSubKey().equals(subKey)) {
          continue;
        }
        int index = Arrays.binarySearch(thresholds, rate.getValue().threshold());
        if (index < 0) {
          continue;
        }
        PairedDifferenceInterval.Table t = paired.table(index, rate.getValue().share());
        result.put(
            rate.getKey().toBuilder().setIsDiff(true).build(),
            new PairedDifferenceInterval.Table(
                t.both() * scale,
                t.onlyFirst() * scale,
                t.onlySecond() * scale,
                t.neither() * scale));
      }
    }
    return result;
  }

  /**
   * Adds every model's metrics (and, when {@code plots} and {@code decisions} are not null, plots
   * and what the decision tests need: the proportions behind its rates, its AUCs' variances)
   * computed from {@code accumulators}, then the differences from the baseline.
   */
  private void addValues(
      MetricsForSlice.Builder metrics,
      PlotsForSlice.Builder plots,
      ModelSink.Decisions decisions,
      ModelAccumulators accumulators) {
    // Each model's written values, for its differences from the baseline.
    Map<Integer, Map<MetricKey, MetricValue>> byModel = new LinkedHashMap<>();
    List<Map<MetricKey, MetricValue>> byHead = new ArrayList<>();
    for (Head head : plan.heads()) {
      Map<MetricKey, MetricValue> values = new LinkedHashMap<>();
      ModelSink sink =
          new ModelSink(
              head.model().metricModelName(),
              head.outputName(),
              head.binarization(),
              values,
              head.written() ? plots : null,
              head.written() ? decisions : null);
      SliceStatistics statistics = new SliceStatistics(accumulators.model(head.index()));
      for (MetricDefinition metric : head.metrics()) {
        sink.keyAggregation(metric.keyedByAggregation());
        sink.keyModel(metric.keyedByModel());
        metric.compute(statistics, sink);
      }
      byHead.add(values);
      if (head.written()) {
        byModel.computeIfAbsent(head.model().index(), m -> new LinkedHashMap<>()).putAll(values);
        values.forEach((k, v) -> metrics.addMetricKeysAndValuesBuilder().setKey(k).setValue(v));
      }
    }
    for (MacroAverage average : plan.macroAverages()) {
      Map<MetricKey, MetricValue> values = macroAverage(average, byHead, accumulators);
      byModel.computeIfAbsent(average.model().index(), m -> new LinkedHashMap<>()).putAll(values);
      values.forEach((k, v) -> metrics.addMetricKeysAndValuesBuilder().setKey(k).setValue(v));
    }
    ModelPlan baseline = plan.baseline();
    if (baseline != null) {
      // Every output of the baseline (its keys tell the outputs apart).
      Map<MetricKey, MetricValue> baselineValues = new HashMap<>();
      for (ModelPlan model : plan.models()) {
        if (model.baseline()) {
          baselineValues.putAll(byModel.getOrDefault(model.index(), Map.of()));
        }
      }
      for (Head head : plan.heads()) {
        if (!head.model().baseline() && head.written()) {
          compareModels(head, accumulators, metrics);
        }
      }
      for (ModelPlan model : plan.models()) {
        if (model.baseline()) {
          continue;
        }
        for (Map.Entry<MetricKey, MetricValue> e :
            byModel.getOrDefault(model.index(), Map.of()).entrySet()) {
          MetricValue base =
              baselineValues.get(
                  e.getKey().toBuilder().setModelName(baseline.metricModelName()).build());
          MetricValue diff = base == null ? null : MetricDiffs.diff(e.getValue(), base);
          if (diff != null) {
            metrics
                .addMetricKeysAndValuesBuilder()
                .setKey(e.getKey().toBuilder().setIsDiff(true))
                .setValue(diff);
          }
        }
      }
    }
  }

  /**
   * {@code average}'s values: each scalar its classes' heads wrote, averaged with TFMA's weights
   * (the class weights; for a weighted macro average, times each class's share of the weighted
   * positive labels of the averaged classes), keyed with the aggregation type and the average's
   * sub-key (none over classes). A value that is not a number is not averaged (TFMA fails the run
   * on it).
   */
  private static Map<MetricKey, MetricValue> macroAverage(
      MacroAverage average,
      List<Map<MetricKey, MetricValue>> byHead,
      ModelAccumulators accumulators) {
    int classes = average.heads().length;
    double[] weights = average.weights().clone();
    if (average.byLabels()) {
      double total = 0;
      double[] labels = new double[classes];
      for (int c = 0; c < classes; c++) {
        labels[c] = accumulators.model(average.heads()[c]).weightedLabelSum();
        total += labels[c];
      }
      for (int c = 0; c < classes; c++) {
        weights[c] *= total == 0 ? 0 : labels[c] / total;
      }
    }
    Set<String> averaged = new HashSet<>();
    average.metrics().forEach(m -> averaged.addAll(m.metricKeys()));
    Map<MetricKey, double[]> sums = new LinkedHashMap<>();
    for (int c = 0; c < classes; c++) {
      for (Map.Entry<MetricKey, MetricValue> e : byHead.get(average.heads()[c]).entrySet()) {
        if (!e.getValue().hasDoubleValue() || !averaged.contains(e.getKey().getName())) {
          continue;
        }
        MetricKey.Builder key = e.getKey().toBuilder();
        if (average.overOutputs()) {
          key.clearOutputName();
        } else {
          key.clearSubKey().setAggregationType(average.aggregationType());
          if (average.subKey() != null) {
            key.setSubKey(average.subKey());
          }
        }
        double[] sum = sums.computeIfAbsent(key.build(), k -> new double[2]);
        sum[0] += e.getValue().getDoubleValue().getValue() * weights[c];
        sum[1] += weights[c];
      }
    }
    Map<MetricKey, MetricValue> values = new LinkedHashMap<>();
    sums.forEach(
        (key, sum) ->
            values.put(
                key,
                MetricValue.newBuilder()
                    .setDoubleValue(DoubleValue.of(sum[1] != 0 ? sum[0] / sum[1] : Double.NaN))
                    .build()));
    return values;
  }

  /**
   * Writes the metrics that compare {@code candidate} with the baseline on the same examples (flip
   * rates), keyed as the candidate's differences; none without paired counts (a replicate).
   */
  private void compareModels(
      Head candidate, ModelAccumulators accumulators, MetricsForSlice.Builder metrics) {
    PairedCounts paired = accumulators.paired(candidate.index());
    if (paired == null) {
      return;
    }
    Map<MetricKey, MetricValue> values = new LinkedHashMap<>();
    ModelSink sink =
        new ModelSink(
            candidate.model().metricModelName(),
            candidate.outputName(),
            candidate.binarization(),
            values,
            null,
            null,
            true);
    double[] thresholds = plan.accumulatorSpec().thresholds();
    for (MetricDefinition metric : candidate.metrics()) {
      if (metric.comparesModels()) {
        metric.compare(paired, thresholds, sink);
      }
    }
    values.forEach((k, v) -> metrics.addMetricKeysAndValuesBuilder().setKey(k).setValue(v));
  }

  /** The values of {@code metrics} by key, in order. */
  private static Map<MetricKey, MetricValue> valuesOf(MetricsForSlice.Builder metrics) {
    Map<MetricKey, MetricValue> values = new LinkedHashMap<>();
    metrics.getMetricKeysAndValuesList().forEach(kv -> values.put(kv.getKey(), kv.getValue()));
    return values;
  }

  /**
   * Every metric computed over each replicate (leave-one-bucket-out for the jackknife,
   * Poisson-weighted for the bootstrap; differences between models per replicate, so paired); null
   * for a replicate without data.
   */
  private List<Map<MetricKey, MetricValue>> replicates(ModelAccumulators accumulators) {
    List<Map<MetricKey, MetricValue>> values = new ArrayList<>();
    for (int r = 0; r < estimator.replicates(); r++) {
      ModelAccumulators replicate = accumulators.replicate(r);
      if (replicate.exampleCount() == 0) {
        values.add(null);
        continue;
      }
      MetricsForSlice.Builder metrics = MetricsForSlice.newBuilder();
      addValues(metrics, null, null, replicate);
      values.add(valuesOf(metrics));
    }
    return values;
  }

  /**
   * Gives each metric value of {@code metrics} its interval from its {@code replicates}. As in
   * TFMA, a slice (or pair of slices) whose data leave replicates empty gets an {@code __ERROR__}
   * value instead, and counts get no interval.
   */
  void addIntervals(
      MetricsForSlice.Builder metrics,
      Map<MetricKey, MetricValue> point,
      Map<MetricKey, MetricValue> replicatePoint,
      List<Map<MetricKey, MetricValue>> replicates) {
    int samples = estimator.replicates();
    long nonEmpty = replicates.stream().filter(r -> r != null).count();
    if (nonEmpty < samples) {
      metrics
          .addMetricKeysAndValuesBuilder()
          .setKey(MetricKey.newBuilder().setName(ERROR_KEY).setExampleWeighted(BoolValue.of(false)))
          .setValue(
              MetricValue.newBuilder()
                  .setBytesValue(
                      BytesValue.of(
                          ByteString.copyFromUtf8(
                              "CI not computed because only "
                                  + nonEmpty
                                  + " samples were non-empty. Expected "
                                  + samples
                                  + "."))));
      return;
    }
    for (MetricsForSlice.MetricKeyAndValue.Builder kv :
        metrics.getMetricKeysAndValuesBuilderList()) {
      // As TFMA: a count has no interval, but its difference between models has.
      if (!kv.getKey().getIsDiff() && withoutInterval.contains(kv.getKey().getName())) {
        continue;
      }
      MetricValue[] replicateValues = new MetricValue[samples];
      boolean complete = true;
      for (int r = 0; r < samples && complete; r++) {
        replicateValues[r] = replicates.get(r).get(kv.getKey());
        complete = replicateValues[r] != null;
      }
      MetricValue around = replicatePoint.get(kv.getKey());
      if (complete && around != null) {
        ConfidenceInterval interval =
            IntervalValues.of(point.get(kv.getKey()), around, replicateValues, estimator);
        if (interval != null) {
          kv.setConfidenceInterval(interval);
        }
      }
    }
  }

  /** The sub-key {@code head}'s keys carry: the default (empty) sub-key when it has none. */
  private static SubKey subKeyOf(Head head) {
    SubKey subKey = head.binarization().subKey();
    return subKey == null ? SubKey.getDefaultInstance() : subKey;
  }

  /** Whether intervals are computed. */
  boolean computesIntervals() {
    return estimator != null;
  }

  /** Collects one model's metrics, and writes its plots (TFMA's default plots merged). */
  private static final class ModelSink implements MetricSink {
    private final String modelName;

    /** The head's sub-key, or null. */
    private final SubKey subKey;

    /** The output its keys carry, or empty. */
    private final String outputName;

    /** The head's aggregation type (a micro average), or null; plot keys have none. */
    private final AggregationType aggregation;

    private final Map<MetricKey, MetricValue> metrics;
    private final PlotsForSlice.Builder plots;
    private final Decisions decisions;
    private final Map<PlotKey, PlotData.Builder> merged = new HashMap<>();

    /**
     * Where the decision tests' inputs go: the rates' proportions, the AUCs' estimates and which
     * rates a paired interval of a model's change can be had for.
     */
    record Decisions(
        Map<MetricKey, Proportion> proportions,
        Map<MetricKey, DeLongAucInterval.Estimate> aucs,
        Map<MetricKey, Pairable> pairables) {}

    /** A rate counting the examples {@code share} says at {@code threshold}. */
    record Pairable(double threshold, LabelShare share) {}

    ModelSink(
        String modelName,
        String outputName,
        Binarization binarization,
        Map<MetricKey, MetricValue> metrics,
        PlotsForSlice.Builder plots,
        Decisions decisions) {
      this(modelName, outputName, binarization, metrics, plots, decisions, false);
    }

    /** A sink whose keys are {@code isDiff}: a candidate's comparison with the baseline. */
    ModelSink(
        String modelName,
        String outputName,
        Binarization binarization,
        Map<MetricKey, MetricValue> metrics,
        PlotsForSlice.Builder plots,
        Decisions decisions,
        boolean isDiff) {
      this.modelName = modelName;
      this.outputName = outputName;
      this.subKey = binarization.subKey();
      this.aggregation = binarization.aggregationType();
      this.metrics = metrics;
      this.plots = plots;
      this.decisions = decisions;
      this.isDiff = isDiff;
    }

    private final boolean isDiff;

    /** Whether the metric being computed is keyed with the head's aggregation type. */
    private boolean keyAggregation = true;

    /** The key {@link #metric} built last: a rate's proportion follows its value at once. */
    private MetricKey lastKey;

    /** Whether the metric being computed is keyed with the head's model, output and sub-key. */
    private boolean keyModel = true;

    /** Keys the next metric's values with the head's aggregation type, or without. */
    void keyAggregation(boolean keyed) {
      keyAggregation = keyed;
      lastKey = null;
    }

    /** Keys the next metric's values with the head's model, output and sub-key, or by name. */
    void keyModel(boolean keyed) {
      keyModel = keyed;
      lastKey = null;
    }

    @Override
    public void metric(String name, boolean exampleWeighted, MetricValue value) {
      lastKey = key(name, exampleWeighted);
      metrics.put(lastKey, value);
    }

    @Override
    public void proportion(String name, boolean exampleWeighted, Proportion value) {
      if (decisions != null) {
        decisions.proportions().put(key(name, exampleWeighted), value);
      }
    }

    @Override
    public void pairable(String name, boolean exampleWeighted, double threshold, LabelShare share) {
      if (decisions != null) {
        decisions.pairables().put(key(name, exampleWeighted), new Pairable(threshold, share));
      }
    }

    @Override
    public void auc(
        String name, boolean exampleWeighted, Supplier<DeLongAucInterval.Estimate> value) {
      if (decisions != null) {
        decisions.aucs().put(key(name, exampleWeighted), value.get());
      }
    }

    private MetricKey key(String name, boolean exampleWeighted) {
      if (lastKey != null
          && lastKey.getName().equals(name)
          && lastKey.getExampleWeighted().getValue() == exampleWeighted) {
        return lastKey;
      }
      MetricKey.Builder key =
          MetricKey.newBuilder()
              .setName(name)
              .setExampleWeighted(BoolValue.of(exampleWeighted))
              .setIsDiff(isDiff);
      if (!keyModel) {
        return key.build();
      }
      key.setModelName(modelName).setOutputName(outputName);
      if (subKey != null) {
        key.setSubKey(subKey);
      }
      if (aggregation != null && keyAggregation) {
        key.setAggregationType(aggregation);
      }
      return key.build();
    }

    @Override
    public void plot(String name, boolean exampleWeighted, PlotData value) {
      if (plots == null) {
        return; // a replicate: plots get no interval
      }
      PlotKey.Builder key =
          PlotKey.newBuilder()
              .setModelName(modelName)
              .setOutputName(outputName)
              .setExampleWeighted(BoolValue.of(exampleWeighted));
      if (subKey != null) {
        key.setSubKey(subKey);
      }
      if (!MERGED_PLOT_NAMES.contains(name)) {
        plots.addPlotKeysAndValuesBuilder().setKey(key.setName(name)).setValue(value);
        return;
      }
      PlotData.Builder data = merged.get(key.build());
      if (data == null) {
        data = plots.addPlotKeysAndValuesBuilder().setKey(key).getValueBuilder();
        merged.put(key.build(), data);
      }
      data.mergeFrom(value);
    }
  }
}
