package io.fairbeam.metrics;

import java.util.List;
import org.apache.beam.sdk.annotations.Internal;

/**
 * TFMA's {@code ModelCosineSimilarity}: the mean over a slice's examples (unweighted, as in TFMA)
 * of the cosine similarity between the candidate's and the baseline's predictions, keyed as the
 * candidate's difference. With one score per example it is the share of examples whose two scores
 * have the same sign minus the share with opposite signs, NaN if a score is 0; it says more for
 * several outputs per example (multi-class scores).
 */
@Internal
final class ModelCosineSimilarity extends ModelComparisonMetric {
  private static final long serialVersionUID = 1L;

  private final String name;

  /** TFMA 0.52 refuses it in a weighted metrics spec; so does Fairbeam. */
  ModelCosineSimilarity(MetricArgs args, boolean weighted) {
    this.name = args.string("name").orElse("model_cosine_similarity");
    if (weighted) {
      throw new MetricConfigException(
          "ModelCosineSimilarity does not support example weights (nor does TFMA); put it in a"
              + " metrics_specs with example_weights { unweighted: true }, or evaluate without"
              + " example_weight_key");
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** TFMA keys it unweighted whatever the spec's weighting. */
  @Override
  public void compare(PairedCounts paired, double[] thresholds, MetricSink sink) {
    sink.metric(name, false, MetricValues.ofDouble(paired.modelCosineSimilarity()));
  }

  @Override
  public List<String> metricKeys() {
    return List.of(name);
  }
}
