package io.fairbeam.beam;

import com.google.protobuf.MessageLite;
import io.fairbeam.eval.BadRecordHandler;
import io.fairbeam.eval.BadRecordPolicy;
import io.fairbeam.eval.EvalPlan;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.proto.tfma.EvalRun;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Evaluates a {@code PCollection<byte[]>} of serialized {@code tf.Example} records under an
 * EvalConfig: Fairbeam's counterpart of TFMA's {@code ExtractEvaluateAndWriteResults} for users who
 * build their own pipeline (read, filter, relabel, then evaluate). Create it with {@link
 * FairnessEval#evaluate}; {@link #onExamples()} takes parsed {@code Example} protos instead.
 *
 * <pre>{@code
 * EvalResult result = records.apply(FairnessEval.evaluate(config)
 *     .withBadRecordPolicy(BadRecordPolicy.SKIP)
 *     .withBadRecordOutput());
 * result.apply(FairnessEval.write().to("out/eval"));
 * }</pre>
 *
 * <p>The config is checked, and each SavedModel's signature loaded and checked against it, when the
 * transform is applied: a bad config fails then with a {@link io.fairbeam.config.ConfigException}
 * (an {@code IllegalArgumentException}) naming the field. Records are pre-aggregated per bundle, so
 * only per-slice accumulators are shuffled.
 */
public final class EvaluateRecords extends PTransform<PCollection<byte[]>, EvalResult> {
  private static final long serialVersionUID = 1L;

  private final EvaluationSettings settings;

  /** What the run record calls the records' source; null: {@code <PCollection>}. */
  private final String dataLocation;

  EvaluateRecords(EvaluationSettings settings) {
    this(settings, null);
  }

  private EvaluateRecords(EvaluationSettings settings, String dataLocation) {
    this.settings = settings;
    this.dataLocation = dataLocation;
  }

  /**
   * Names where the records came from ({@code gs://bucket/eval/*.tfrecord}, a table) in the run
   * record ({@code data_location} of {@code eval_config.json} and {@code fairbeam_run.json}) and
   * the report, as TFMA's {@code display_only_data_location} does; without it they say {@code
   * <PCollection>}. Records in messages are still named by their place in the PCollection.
   */
  public EvaluateRecords withDataLocation(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("withDataLocation() needs a location, got " + location);
    }
    return new EvaluateRecords(settings, location);
  }

  /**
   * Scores the {@code model_specs} named {@code name} with the TensorFlow SavedModel in {@code
   * directory}, instead of reading its score from the feature {@code prediction_key}.
   */
  public EvaluateRecords withModel(String name, String directory) {
    return new EvaluateRecords(settings.withModel(name, directory), dataLocation);
  }

  /** Scores the config's only {@code model_specs} with the SavedModel in {@code directory}. */
  public EvaluateRecords withModel(String directory) {
    return withModel("", directory);
  }

  /**
   * What to do with a record that cannot be evaluated (corrupt, or without a usable label, score or
   * weight): fail the pipeline naming the record and field ({@link BadRecordPolicy#FAIL}, the
   * default) or skip it and count it by reason in {@link EvalResult#summary()}.
   */
  public EvaluateRecords withBadRecordPolicy(BadRecordPolicy policy) {
    return new EvaluateRecords(settings.withBadRecordPolicy(policy), dataLocation);
  }

  /**
   * A first run, with no baseline model yet (TFX's "rubber stamp"): the config's baseline {@code
   * model_specs} and its change thresholds are dropped, value thresholds still decide, and {@code
   * validations.tfrecord} says {@code rubber_stamp}.
   */
  public EvaluateRecords withoutBaseline() {
    return new EvaluateRecords(settings.withoutBaseline(), dataLocation);
  }

  /** Also emits each skipped record as a {@code BadRecord} in {@link EvalResult#badRecords()}. */
  public EvaluateRecords withBadRecordOutput() {
    return new EvaluateRecords(settings.withBadRecordOutput(), dataLocation);
  }

  /**
   * Refuses input whose evaluation would be wrong: an evaluation is one result over all records
   * (each bundle's sums are emitted when it finishes, into the global window), so the input must be
   * bounded and in the global window; a windowed input's windows would be merged silently.
   *
   * @throws IllegalArgumentException saying what the input is and what to do
   */
  static void checkBatchInput(PCollection<?> records) {
    if (records.isBounded() != PCollection.IsBounded.BOUNDED) {
      throw new IllegalArgumentException(
          "FairnessEval.evaluate: "
              + records.getName()
              + " is unbounded, and an evaluation is one result over a bounded set of records;"
              + " evaluate a bounded read of the records");
    }
    WindowFn<?, ?> windows = records.getWindowingStrategy().getWindowFn();
    if (!(windows instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "FairnessEval.evaluate: "
              + records.getName()
              + " is windowed by "
              + windows.getClass().getSimpleName()
              + ", and an evaluation is one result over all its records, which would merge the"
              + " windows; apply Window.into(new GlobalWindows()) first, or evaluate each"
              + " window's records in a pipeline of its own");
    }
  }

  /** This evaluation applied to parsed {@code tf.Example} protos (or any message) instead. */
  public PTransform<PCollection<? extends MessageLite>, EvalResult> onExamples() {
    EvaluateRecords evaluate = this;
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public EvalResult expand(PCollection<? extends MessageLite> examples) {
        return examples
            .apply(
                "Serialize",
                MapElements.into(TypeDescriptor.of(byte[].class))
                    .via((MessageLite example) -> example.toByteArray()))
            .setCoder(ByteArrayCoder.of())
            .apply("Evaluate", evaluate);
      }
    };
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.addIfNotNull(DisplayData.item("dataLocation", dataLocation).withLabel("Data location"));
    settings.populateDisplayData(builder);
  }

  @Override
  public EvalResult expand(PCollection<byte[]> records) {
    checkBatchInput(records);
    EvalPlan plan = settings.plan();
    DeriveResults.Tags tags = DeriveResults.Tags.create(records.getPipeline().getOptions());
    PCollectionTuple evaluated =
        records.apply(
            "ExtractSliceAggregate",
            ParDo.of(new EvaluateRecordsFn(plan, tags, settings.badRecordOutput()))
                .withOutputTags(tags.slices(), tags.additional()));
    String source = dataLocation != null ? dataLocation : BadRecordHandler.PCOLLECTION_SOURCE;
    EvalRun evalRun = FairnessEval.evalRun(plan, source, RecordFormat.TFRECORD);
    return DeriveResults.from(
        evaluated,
        tags,
        plan,
        FairnessEval.summaryTemplate(
            plan, settings.badRecordPolicy(), source, RecordFormat.TFRECORD, true),
        new ResultContext(plan, evalRun, settings.modelDirectories()));
  }
}
