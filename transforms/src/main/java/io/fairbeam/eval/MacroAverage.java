package io.fairbeam.eval;

import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.proto.tfma.AggregationType;
import io.fairbeam.proto.tfma.SubKey;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A {@code metrics_specs.aggregate} macro average of one model: each of its metrics computed on
 * binarized heads that are not written (one class against the rest, for each class of {@code
 * class_weights}; or the k-th highest-scoring class, for each k up to a {@code top_k_list} value),
 * then averaged as TFMA 0.52's {@code aggregation.py} averages them: weighted by the class weights
 * (1 for each k), and for a weighted macro average over classes also by each class's share of the
 * positive labels. Written under the metric's name with {@code aggregation_type} and the top k as
 * its sub-key (none over classes). The same averaging serves TFMA's {@code output_average} of a
 * multi-output model ({@code overOutputs}): each output's written head, weighted by {@code
 * output_weights}, keyed without an output.
 *
 * @param model the model averaged
 * @param byLabels whether each class is also weighted by its share of the labels (weighted macro)
 * @param subKey the {@code top_k} sub-key of an average over ranks; null over classes
 * @param weights each part's weight, in the order of {@code heads}
 * @param heads the unwritten heads of the parts averaged
 * @param metrics the metrics averaged
 * @param overOutputs whether it averages a metric over a multi-output model's outputs with {@code
 *     output_weights} (TFMA's {@code output_average}, keyed without an output and without an
 *     aggregation type) rather than over classes
 */
@Internal
public record MacroAverage(
    ModelPlan model,
    boolean byLabels,
    SubKey subKey,
    double[] weights,
    int[] heads,
    List<MetricDefinition> metrics,
    boolean overOutputs)
    implements Serializable {

  /**
   * The aggregation type TFMA 0.52 keys it with: {@code macro_average} for both kinds, as its
   * {@code weighted_macro_average} also writes {@code macro_average}.
   */
  public AggregationType aggregationType() {
    return AggregationType.newBuilder().setMacroAverage(true).build();
  }
}
