package io.fairbeam.io;

import java.util.Set;

/**
 * The strings TFMA fixes and its readers look for, in one place for the metrics that write them,
 * the writer and the report that reads them back. The fairness rates' names are those of the
 * metrics package's {@code FairnessIndicators.Rate}; the file names are {@link ResultFiles}'.
 */
public final class TfmaNames {
  private TfmaNames() {}

  /** The metric and plot key of a slice's error message (a slice below min_slice_size). */
  public static final String ERROR_KEY = "__ERROR__";

  /** ExampleCount's key. */
  public static final String EXAMPLE_COUNT = "example_count";

  /** WeightedExampleCount's key. */
  public static final String WEIGHTED_EXAMPLE_COUNT = "weighted_example_count";

  /** The default name (key prefix) of the FairnessIndicators metric. */
  public static final String FAIRNESS_INDICATORS = "fairness_indicators_metrics";

  /** The metrics output ({@code metrics-*.tfrecord}), as {@code disabled_outputs} names it. */
  public static final String OUTPUT_METRICS = "metrics";

  /** The plots output ({@code plots-*.tfrecord}). */
  public static final String OUTPUT_PLOTS = "plots";

  /** The validation output ({@code validations.tfrecord}). */
  public static final String OUTPUT_VALIDATIONS = "validations";

  /** The config output ({@code eval_config.json}). */
  public static final String OUTPUT_EVAL_CONFIG = "eval_config.json";

  /** Fairbeam's report ({@code report.html}); TFMA has no such output. */
  public static final String OUTPUT_REPORT = "report";

  /** Every output name {@code options.disabled_outputs} accepts: TFMA's, and Fairbeam's report. */
  public static final Set<String> OUTPUTS =
      Set.of(
          OUTPUT_METRICS,
          OUTPUT_PLOTS,
          OUTPUT_VALIDATIONS,
          OUTPUT_EVAL_CONFIG,
          OUTPUT_REPORT,
          "analysis",
          "attributions");
}
