package io.fairbeam.beam;

import io.fairbeam.eval.CrossSliceComputer;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.eval.SliceMetricsComputer;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.PlotsForSlice;
import java.util.List;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * TFMA's cross-slice records ({@link CrossSliceComputer}), computed where each comparison slice is:
 * the baseline slices (those a {@code baseline_spec} applies to, usually one or a few) reach every
 * worker as a side input, so no step holds every slice. Outputs the {@code MetricsForSlice} under
 * {@link #metrics} and their empty {@code PlotsForSlice} under {@link #plots}.
 */
final class CompareWithBaselines extends PTransform<PCollection<SliceValues>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  final TupleTag<MetricsForSlice> metrics = new TupleTag<>() {};
  final TupleTag<PlotsForSlice> plots = new TupleTag<>() {};
  private final EvalPlan plan;

  CompareWithBaselines(EvalPlan plan) {
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PCollection<SliceValues> slices) {
    PCollectionView<List<SliceValues>> baselines =
        slices
            .apply("BaselineSlices", ParDo.of(new BaselinesFn(plan)))
            .setCoder(SliceValuesCoder.of())
            .apply("BaselinesView", View.asList());
    PCollectionTuple compared =
        slices.apply(
            "Compare",
            ParDo.of(new CompareFn(plan, baselines, metrics, plots))
                .withSideInputs(baselines)
                .withOutputTags(metrics, TupleTagList.of(plots)));
    compared.get(metrics).setCoder(ProtoCoder.of(MetricsForSlice.class));
    compared.get(plots).setCoder(ProtoCoder.of(PlotsForSlice.class));
    return compared;
  }

  /** Keeps the slices some comparison has as its baseline. */
  private static final class BaselinesFn extends DoFn<SliceValues, SliceValues> {
    private static final long serialVersionUID = 1L;
    private final EvalPlan plan;
    private transient CrossSliceComputer computer;

    BaselinesFn(EvalPlan plan) {
      this.plan = plan;
    }

    @Setup
    public void setup() {
      computer = new CrossSliceComputer(plan);
    }

    @ProcessElement
    public void processElement(@Element SliceValues slice, OutputReceiver<SliceValues> out) {
      if (computer.isBaseline(slice.key())) {
        out.output(slice);
      }
    }
  }

  /** Compares each slice with every baseline its specs pair it with. */
  private static final class CompareFn extends DoFn<SliceValues, MetricsForSlice> {
    private static final long serialVersionUID = 1L;
    private final EvalPlan plan;
    private final PCollectionView<List<SliceValues>> baselines;
    private final TupleTag<MetricsForSlice> metrics;
    private final TupleTag<PlotsForSlice> plots;
    private transient CrossSliceComputer computer;

    CompareFn(
        EvalPlan plan,
        PCollectionView<List<SliceValues>> baselines,
        TupleTag<MetricsForSlice> metrics,
        TupleTag<PlotsForSlice> plots) {
      this.plan = plan;
      this.baselines = baselines;
      this.metrics = metrics;
      this.plots = plots;
    }

    @Setup
    public void setup() {
      computer = new CrossSliceComputer(plan);
    }

    @ProcessElement
    public void processElement(
        @Element SliceValues slice, ProcessContext context, MultiOutputReceiver out) {
      for (SliceMetricsComputer.Result cross :
          computer.compare(slice, context.sideInput(baselines))) {
        out.get(metrics).output(cross.metrics());
        out.get(plots).output(cross.plots());
      }
    }
  }
}
