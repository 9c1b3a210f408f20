package io.fairbeam.metrics;

import java.util.List;

/**
 * The weighted mean of a per-example {@link ExampleTerm}: TFMA's {@code MeanAbsoluteError}, {@code
 * MeanSquaredError}, {@code MeanAbsolutePercentageError}, {@code MeanSquaredLogarithmicError}
 * (examples whose error is NaN left out, as TFMA leaves them out) and {@code BinaryCrossEntropy};
 * and the Keras metrics TFMA runs by class name ({@code BinaryCrossentropy}, {@code Hinge}, {@code
 * RootMeanSquaredError}, ... over {@link KerasTerm}s). NaN when no example weighs anything, as in
 * TFMA.
 */
final class MeanTermMetric implements MetricDefinition {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final ExampleTerm term;
  private final boolean weighted;

  /** Whether the square root of the mean is reported (Keras' {@code RootMeanSquaredError}). */
  private final boolean root;

  MeanTermMetric(String name, ExampleTerm term, boolean weighted) {
    this(name, term, weighted, false);
  }

  private MeanTermMetric(String name, ExampleTerm term, boolean weighted, boolean root) {
    this.name = name;
    this.term = term;
    this.weighted = weighted;
    this.root = root;
  }

  /**
   * A Keras metric over {@code term}, named {@code defaultName} unless its config names it; Keras'
   * {@code dtype} may only be float32, as TFMA requires.
   */
  static MeanTermMetric keras(
      ExampleTerm term, String defaultName, boolean root, MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse(defaultName);
    checkKerasDtype(name, args);
    return new MeanTermMetric(name, term, weighted, root);
  }

  /** Keras' {@code BinaryCrossentropy} ({@code from_logits}, {@code label_smoothing}). */
  static MeanTermMetric kerasBinaryCrossentropy(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("binary_crossentropy");
    checkKerasDtype(name, args);
    boolean fromLogits = args.bool("from_logits").orElse(false);
    double smoothing = labelSmoothing(name, args);
    return new MeanTermMetric(
        name, new KerasCrossEntropyTerm(smoothing, fromLogits), weighted, false);
  }

  /** Keras' {@code CosineSimilarity}, over the one axis a score has. */
  static MeanTermMetric kerasCosineSimilarity(MetricArgs args, boolean weighted) {
    int axis = args.integer("axis").orElse(-1);
    if (axis != -1) {
      throw new MetricConfigException(
          "argument \"axis\" of CosineSimilarity must be -1 for a single score, got " + axis);
    }
    return keras(KerasTerm.COSINE_SIMILARITY, "cosine_similarity", false, args, weighted);
  }

  private static void checkKerasDtype(String name, MetricArgs args) {
    String dtype = args.string("dtype").orElse("float32");
    if (!dtype.equals("float32")) {
      throw new MetricConfigException(
          "argument \"dtype\" of " + name + " must be float32, as TFMA requires, got " + dtype);
    }
  }

  private static double labelSmoothing(String name, MetricArgs args) {
    double smoothing = args.number("label_smoothing").orElse(0.0);
    if (!(smoothing >= 0 && smoothing <= 1)) {
      throw new MetricConfigException(
          "argument \"label_smoothing\" of " + name + " must be in [0, 1], got " + smoothing);
    }
    return smoothing;
  }

  /**
   * TFMA's {@code BinaryCrossEntropy} ({@code from_logits}, {@code label_smoothing}, {@code name}).
   */
  static MeanTermMetric binaryCrossEntropy(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("binary_crossentropy");
    boolean fromLogits = args.bool("from_logits").orElse(false);
    double smoothing = labelSmoothing(name, args);
    return new MeanTermMetric(name, new CrossEntropyTerm(smoothing, fromLogits), weighted);
  }

  /** Keras' {@code SparseCategoricalAccuracy} and {@code CategoricalAccuracy}. */
  static MeanTermMetric kerasCategoricalAccuracy(
      boolean sparse, MetricArgs args, boolean weighted) {
    return keras(
        sparse ? new CategoricalTerm.SparseAccuracy() : new CategoricalTerm.Accuracy(),
        sparse ? "sparse_categorical_accuracy" : "categorical_accuracy",
        false,
        args,
        weighted);
  }

  /**
   * Keras' {@code SparseCategoricalCrossentropy} ({@code from_logits}, {@code ignore_class}; {@code
   * axis} −1).
   */
  static MeanTermMetric kerasSparseCategoricalCrossentropy(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("sparse_categorical_crossentropy");
    checkKerasDtype(name, args);
    checkLastAxis(name, args);
    Integer ignoreClass = args.integer("ignore_class", -1, MetricArgs.MAX_COUNT).orElse(null);
    boolean fromLogits = args.bool("from_logits").orElse(false);
    return new MeanTermMetric(
        name, new CategoricalTerm.SparseCrossEntropy(fromLogits, ignoreClass), weighted, false);
  }

  /** Keras' {@code CategoricalCrossentropy} ({@code from_logits}, {@code label_smoothing}). */
  static MeanTermMetric kerasCategoricalCrossentropy(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("categorical_crossentropy");
    checkKerasDtype(name, args);
    checkLastAxis(name, args);
    boolean fromLogits = args.bool("from_logits").orElse(false);
    double smoothing = labelSmoothing(name, args);
    return new MeanTermMetric(
        name, new CategoricalTerm.CrossEntropy(fromLogits, smoothing), weighted, false);
  }

  /** TFMA's {@code CategoricalCrossEntropy} ({@code from_logits}, {@code label_smoothing}). */
  static MeanTermMetric categoricalCrossEntropy(MetricArgs args, boolean weighted) {
    String name = args.string("name").orElse("categorical_crossentropy");
    boolean fromLogits = args.bool("from_logits").orElse(false);
    double smoothing = labelSmoothing(name, args);
    return new MeanTermMetric(
        name, new CategoricalTerm.TfmaCrossEntropy(fromLogits, smoothing), weighted);
  }

  private static void checkLastAxis(String name, MetricArgs args) {
    int axis = args.integer("axis").orElse(-1);
    if (axis != -1) {
      throw new MetricConfigException(
          "argument \"axis\" of " + name + " must be -1 (the classes), got " + axis);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** A categorical metric reads a multi-class model's classes. */
  @Override
  public boolean readsClasses() {
    return term instanceof ClassTerm;
  }

  @Override
  public void declareNeeds(AccumulatorSpec.Builder needs) {
    needs.addTerm(term);
  }

  @Override
  public void compute(SliceStatistics slice, MetricSink sink) {
    SliceAccumulator acc = slice.accumulator();
    double value = ConfusionCounts.ratio(acc.termSum(term), acc.termWeight(term));
    if (root) {
      value = Math.sqrt(value);
    }
    sink.metric(name, weighted, MetricValues.ofDouble(value));
  }

  /** Cross entropy compares a probability with a 0/1 label; the other terms take any label. */
  @Override
  public boolean needsBinaryLabels() {
    return term instanceof CrossEntropyTerm || term instanceof KerasCrossEntropyTerm;
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }
}
