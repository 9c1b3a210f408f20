package io.fairbeam.beam;

import io.fairbeam.eval.RunCounts;
import io.fairbeam.proto.RunSummary;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Turns the run's total {@link RunCounts} into Fairbeam's {@link RunSummary}: the counts, the
 * policy and input named by {@code template}, and warnings such as a slicing feature that no
 * evaluated example has.
 */
final class SummarizeRunFn extends DoFn<RunCounts, RunSummary> {
  private static final long serialVersionUID = 1L;

  private final RunSummary template;

  SummarizeRunFn(RunSummary template) {
    this.template = template;
  }

  @ProcessElement
  public void processElement(@Element RunCounts counts, OutputReceiver<RunSummary> out) {
    out.output(summarize(template, counts));
  }

  static RunSummary summarize(RunSummary template, RunCounts counts) {
    RunSummary.Builder summary = template.toBuilder().mergeFrom(counts.toProto());
    counts
        .slicingFeatureExamples()
        .forEach(
            (feature, examples) -> {
              if (examples == 0 && counts.examplesEvaluated() > 0) {
                summary.addWarnings(
                    "slicing feature '"
                        + feature
                        + "' is in none of the "
                        + counts.examplesEvaluated()
                        + " evaluated examples, so the slices that need it"
                        + " are empty; is the name in slicing_specs spelt as in the data?");
              }
            });
    return summary.build();
  }
}
