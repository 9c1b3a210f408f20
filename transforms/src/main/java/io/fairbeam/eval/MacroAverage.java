package io.fairbeam.eval;

import io.fairbeam.metrics.MetricDefinition;
import io.fairbeam.proto.tfma.AggregationType;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * A {@code metrics_specs.aggregate} macro average of one model: each of its metrics computed one
 * class against the rest (on {@link Head}s that are not written), then averaged over the classes of
 * {@code class_weights} as TFMA 0.52's {@code aggregation.py} averages them: weighted by the class
 * weights ({@code macro_average}), or by each class's share of the positive labels times its class
 * weight ({@code weighted_macro_average}). Written under the metric's name with {@code
 * aggregation_type} and no sub-key.
 *
 * @param model the model averaged
 * @param byLabels whether each class is also weighted by its share of the labels (weighted macro)
 * @param classes the class ids averaged over, in {@code class_weights} order
 * @param classWeights each class's weight, in the order of {@code classes}
 * @param heads the unwritten heads of the classes, in the order of {@code classes}
 * @param metrics the metrics averaged
 */
@Internal
public record MacroAverage(
    ModelPlan model,
    boolean byLabels,
    int[] classes,
    double[] classWeights,
    int[] heads,
    List<MetricDefinition> metrics)
    implements Serializable {

  /**
   * The aggregation type TFMA 0.52 keys it with: {@code macro_average} for both kinds, as its
   * {@code weighted_macro_average} also writes {@code macro_average}.
   */
  public AggregationType aggregationType() {
    return AggregationType.newBuilder().setMacroAverage(true).build();
  }
}
