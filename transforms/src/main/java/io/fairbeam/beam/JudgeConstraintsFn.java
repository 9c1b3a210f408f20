package io.fairbeam.beam;

import io.fairbeam.eval.FairnessConstraints;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.proto.ConstraintReport;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Judges the config's fairness constraints once, from the run's summed counts (which carry each
 * constraint population's sums); outputs nothing when the config has none.
 */
final class JudgeConstraintsFn extends DoFn<RunCounts, ConstraintReport> {
  private static final long serialVersionUID = 1L;

  private final FairnessConstraints constraints;

  JudgeConstraintsFn(FairnessConstraints constraints) {
    this.constraints = constraints;
  }

  @ProcessElement
  public void processElement(@Element RunCounts counts, OutputReceiver<ConstraintReport> out) {
    if (!constraints.isEmpty()) {
      out.output(constraints.judge(counts.constraintSums()));
    }
  }
}
