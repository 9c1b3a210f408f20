package io.fairbeam.eval;

import io.fairbeam.metrics.Binarization;
import io.fairbeam.metrics.MetricDefinition;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * What one accumulator of a slice measures: a model's binary examples, or, for a multi-class model,
 * the binary examples one {@code binarize} sub-key makes of them ({@link Binarization}), and the
 * metrics computed from it. A binary model has one head; a multi-class model one per sub-key its
 * metrics specs ask for (and one without a sub-key for the specs without {@code binarize}).
 *
 * @param index position among the plan's heads: the accumulator's index in each slice
 * @param model the model it measures (for a multi-output model, one of its outputs)
 * @param outputName the {@code output_name} its keys carry: its model's output, or empty for a
 *     single-output model and for a spec that names no output
 * @param binarization how the model's examples become binary ones ({@link Binarization#NONE}: as
 *     they are)
 * @param metrics the metrics its accumulator derives, keyed with its sub-key
 * @param written whether its metrics are written; a class's head kept only for a {@link
 *     MacroAverage} is not
 */
@Internal
public record Head(
    int index,
    ModelPlan model,
    String outputName,
    Binarization binarization,
    List<MetricDefinition> metrics,
    boolean written)
    implements Serializable {
  public Head {
    metrics = List.copyOf(metrics);
  }

  /** This head measuring {@code other} instead (the same model, resolved again). */
  Head withModel(ModelPlan other) {
    return new Head(index, other, outputName, binarization, metrics, written);
  }
}
