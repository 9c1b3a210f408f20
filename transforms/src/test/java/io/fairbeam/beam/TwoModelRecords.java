package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;

import java.util.ArrayList;
import java.util.List;

/**
 * A test fixture: a candidate and a baseline model on the same 150 records, whose decisions differ
 * on 4 negatives, and a config that gates the candidate's change of false positive rate.
 */
final class TwoModelRecords {
  private TwoModelRecords() {}

  /** 50 positives both models flag; of 100 negatives, the baseline flags 10, the candidate 14. */
  static List<byte[]> records() {
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      int label = i < 50 ? 1 : 0;
      int negative = i - 50;
      float baseline = label == 1 || negative < 10 ? 0.9f : 0.1f;
      float candidate = label == 1 || negative < 14 ? 0.9f : 0.1f;
      records.add(
          example(
                  "label",
                  ints(label),
                  "candidate_score",
                  floats(candidate),
                  "baseline_score",
                  floats(baseline))
              .toByteArray());
    }
    return records;
  }

  /** The candidate's FallOut may rise by at most {@code absolute}, with confidence. */
  static String config(double absolute) {
    return "model_specs { name: 'candidate' label_key: 'label' prediction_key: 'candidate_score' }\n"
        + "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'baseline_score'"
        + " is_baseline: true }\n"
        + "metrics_specs {\n"
        + "  model_names: ['candidate', 'baseline']\n"
        + "  metrics { class_name: 'FallOut' threshold { change_threshold {\n"
        + "    direction: LOWER_IS_BETTER absolute { value: "
        + absolute
        + " } use_confidence_bound: true } } }\n"
        + "}\n"
        + "slicing_specs {}\n"
        + "options { compute_confidence_intervals { value: true } }\n";
  }
}
