package io.fairbeam.eval;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.metrics.Binarization;
import io.fairbeam.metrics.HistogramUpdates;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.PreparedExample;
import io.fairbeam.metrics.SampleWeights;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceKeyExtractor;
import io.fairbeam.util.IntList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds usable examples to the accumulators of the slices they belong to (one {@link
 * ModelAccumulators} per slice, holding one accumulator per {@link Head}: per model, or per model
 * and sub-key of a multi-class model), and counts how many had each slicing feature. Plain Java:
 * the Beam layer keeps one per worker thread and drains it at the end of each bundle, so only
 * accumulators, never examples, travel through the shuffle.
 */
final class SliceAggregator {
  private final EvalPlan plan;
  private final SliceKeyExtractor slicer;
  private final PreparedExample[] prepared;
  private final Head[] heads;

  /** Per head, its model's index, and whether that model scores each class (the hot path's). */
  private final int[] headModels;

  private final boolean[] multiClassHeads;

  /** The head whose accumulator keeps the feature means (TFMA's Mean); −1 for none. */
  private final int meansHead;

  /** Slots of the features slicing specs name, and how many added examples had each. */
  private final int[] slicingSlots;

  private final long[] slicingPresent;
  private final List<ModelAccumulators> accumulators = new ArrayList<>();
  private final HistogramUpdates histogramUpdates = new HistogramUpdates();

  public SliceAggregator(EvalPlan plan) {
    this.plan = plan;
    this.slicer = new SliceKeyExtractor(plan.slicingSpecs(), plan.features());
    this.heads = plan.heads().toArray(new Head[0]);
    this.prepared = new PreparedExample[heads.length];
    this.headModels = new int[heads.length];
    this.multiClassHeads = new boolean[heads.length];
    for (int h = 0; h < prepared.length; h++) {
      prepared[h] = new PreparedExample(plan.accumulatorSpec());
      headModels[h] = heads[h].model().index();
      multiClassHeads[h] = heads[h].model().multiClass();
    }
    int withMeans = -1;
    for (int h = 0; h < heads.length && withMeans < 0; h++) {
      if (heads[h].metrics().stream().anyMatch(m -> !m.keyedByModel())) {
        withMeans = h;
      }
    }
    this.meansHead = withMeans;
    List<String> slicingFeatures = SliceKeyExtractor.featuresOf(plan.slicingSpecs());
    this.slicingSlots = new int[slicingFeatures.size()];
    this.slicingPresent = new long[slicingFeatures.size()];
    for (int f = 0; f < slicingSlots.length; f++) {
      slicingSlots[f] = plan.features().slotOf(slicingFeatures.get(f));
    }
  }

  /**
   * Adds {@code example}, whose labels, scores and weights {@code values} has just checked, to the
   * accumulator rows {@code weights} names in each of its slices.
   */
  public void add(ExampleFeatures example, ExampleValidator values, SampleWeights weights) {
    for (int f = 0; f < slicingSlots.length; f++) {
      if (example.slot(slicingSlots[f]).present()) {
        slicingPresent[f]++;
      }
    }
    for (int h = 0; h < prepared.length; h++) {
      int m = headModels[h];
      if (!multiClassHeads[h]) {
        prepared[h].prepare(values.label(m), values.score(m), values.weight(m));
        continue;
      }
      Head head = heads[h];
      if (head.binarization().isNone()) {
        // Without a sub-key, a multi-class model's metrics read only weights (counts) or its
        // classes (HeadPlans).
        prepared[h].prepare(0.0, 0.0, values.weight(m));
        double[] scores = values.classScores(m);
        int top = Binarization.argmax(scores, values.classCount(m));
        prepared[h].prepareClasses(
            values.actualClass(m),
            top,
            scores[top],
            values.classLabels(m),
            scores,
            values.classCount(m));
      } else if (head.binarization().pooled()) {
        // One binary example per class (or per top-k class), counted as one example.
        double[] scores = values.classScores(m);
        int count = values.classCount(m);
        PreparedExample[] parts = prepared[h].parts(count);
        int used =
            head.binarization().fill(values.classLabels(m), scores, count, values.weight(m), parts);
        prepared[h].preparePooled(used, values.weight(m));
      } else {
        double[] scores = values.classScores(m);
        int count = values.classCount(m);
        int c = head.binarization().classOf(scores, count);
        prepared[h].prepare(
            values.classLabel(m, c),
            head.binarization().scoreOf(scores, count, c),
            values.weight(m));
      }
    }
    if (meansHead >= 0) {
      for (int i = 0; i < values.featureMeanCount(); i++) {
        prepared[meansHead].prepareFeatureMean(
            i, values.featureMeanValue(i), values.featureMeanWeight(i));
      }
    }
    IntList slices = slicer.slicesOf(example);
    for (int i = 0; i < slices.size(); i++) {
      int ordinal = slices.get(i);
      while (accumulators.size() <= ordinal) {
        accumulators.add(null);
      }
      ModelAccumulators accumulator = accumulators.get(ordinal);
      if (accumulator == null) {
        accumulator =
            new ModelAccumulators(plan.accumulatorSpec(), prepared.length, plan.resampling());
        accumulators.set(ordinal, accumulator);
      }
      accumulator.add(prepared, weights, histogramUpdates);
    }
  }

  /**
   * Returns the accumulators gathered since the last call, adds the slicing-feature counts to
   * {@code counts}, and starts afresh.
   */
  public Map<SliceKey, ModelAccumulators> drain(RunCounts counts) {
    histogramUpdates.flush();
    Map<SliceKey, ModelAccumulators> result = new LinkedHashMap<>();
    for (int ordinal = 0; ordinal < accumulators.size(); ordinal++) {
      ModelAccumulators accumulator = accumulators.get(ordinal);
      if (accumulator != null) {
        result.put(slicer.key(ordinal), accumulator);
      }
    }
    accumulators.clear();
    for (int f = 0; f < slicingSlots.length; f++) {
      counts.slicingFeaturePresent(plan.features().name(slicingSlots[f]), slicingPresent[f]);
      slicingPresent[f] = 0;
    }
    return result;
  }
}
