package io.fairbeam.cli;

import io.fairbeam.beam.FairnessEval;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * Shows that a long run is alive: while the pipeline runs, prints the records read so far (the
 * {@code fairbeam/records_read} counter the evaluating steps keep, as the runner reports it) and
 * the rate, every {@value #INTERVAL_SECONDS} seconds. Runs shorter than that print nothing. How
 * often the count moves is the runner's: Flink reports counters as they change, the Direct Runner
 * as each group of files is finished.
 */
final class ProgressReport {
  static final int INTERVAL_SECONDS = 10;

  private ProgressReport() {}

  /** Waits for {@code result} to finish, reporting progress to {@code err}; its final state. */
  static PipelineResult.State waitUntilFinish(PipelineResult result, PrintStream err) {
    long start = System.nanoTime();
    long lastReported = -1;
    while (true) {
      PipelineResult.State state =
          result.waitUntilFinish(Duration.standardSeconds(INTERVAL_SECONDS));
      if (state != null && state.isTerminal()) {
        return state;
      }
      long read = recordsRead(result);
      if (read > 0 && read != lastReported) {
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(
            Locale.ROOT, "fairbeam: %,d records read (%,.0f records/s)%n", read, read / seconds);
        lastReported = read;
      }
    }
  }

  /** The records read so far by all evaluating steps, as the runner reports them now. */
  static long recordsRead(PipelineResult result) {
    MetricQueryResults metrics;
    try {
      metrics =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(
                          MetricNameFilter.named(FairnessEval.COUNTERS, FairnessEval.RECORDS_READ))
                      .build());
    } catch (UnsupportedOperationException e) {
      return 0; // a runner without metrics
    }
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      Long attempted = counter.getAttempted();
      total += attempted == null ? 0 : attempted;
    }
    return total;
  }
}
