package io.fairbeam.io;

/** The file names of an evaluation result directory: TFMA's layout plus Fairbeam's summary. */
public final class ResultFiles {
  private ResultFiles() {}

  /** The {@code EvalRun} as protobuf JSON, as TFMA writes it. */
  public static final String EVAL_CONFIG = "eval_config.json";

  /** Prefix of the {@code MetricsForSlice} TFRecord shards ({@code metrics-SSSSS-of-NNNNN}). */
  public static final String METRICS_PREFIX = "metrics";

  /** Prefix of the {@code PlotsForSlice} TFRecord shards. */
  public static final String PLOTS_PREFIX = "plots";

  /**
   * Prefix of Fairbeam's {@code DecisionCountsForSlice} TFRecord shards: what its decision
   * intervals are computed from.
   */
  public static final String DECISIONS_PREFIX = "fairbeam_decisions";

  /** The single {@code ValidationResult} record. */
  public static final String VALIDATIONS = "validations.tfrecord";

  /** Fairbeam's {@code RunSummary}: records read, evaluated and skipped by reason. */
  public static final String RUN_SUMMARY = "fairbeam_run.json";

  /** Fairbeam's {@code DisparityReport}: the group disparities of every feature_keys spec. */
  public static final String DISPARITIES = "fairbeam_disparities.json";

  /** Fairbeam's report: one self-contained HTML file. */
  public static final String REPORT = "report.html";

  /** Fairbeam's verdicts on the config's fairness constraints (a JSON list), when it has any. */
  public static final String CONSTRAINTS = "constraints.json";

  /** Whether {@code name} is one Fairbeam or TFMA writes into a result directory. */
  public static boolean isResultFile(String name) {
    return name.equals(EVAL_CONFIG)
        || name.equals(RUN_SUMMARY)
        || name.equals(DISPARITIES)
        || name.equals(CONSTRAINTS)
        || name.equals(REPORT)
        || name.equals(VALIDATIONS)
        || name.startsWith(METRICS_PREFIX + "-")
        || name.startsWith(PLOTS_PREFIX + "-")
        || name.startsWith(DECISIONS_PREFIX + "-")
        || name.startsWith("attributions-");
  }
}
