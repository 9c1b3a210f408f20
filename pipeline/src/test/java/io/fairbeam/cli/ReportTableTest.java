package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The terminal report of a result with confidence intervals: the line naming the method, and each
 * value with its interval as the result files hold them (read back here from the protos).
 */
public class ReportTableTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  /** Evaluates the Titanic CSV under {@code config} into {@code name}; fails if the run fails. */
  private Path evaluateTitanic(Path config, String name) {
    return SharedData.evaluateTitanic(config, temp.getRoot().toPath().resolve(name));
  }

  @Test
  public void showsValuesWithTheirIntervals() throws Exception {
    Path config = temp.newFile("titanic-ci.pbtxt").toPath();
    Files.writeString(
        config,
        "model_specs { label_key: 'survived' prediction_key: 'predicted' }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' } metrics { class_name: 'AUC' }"
            + " metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' } }\n"
            + "slicing_specs {} slicing_specs { feature_keys: 'sex' }\n"
            + "options { compute_confidence_intervals { value: true } }\n");
    Path out = evaluateTitanic(config, "result");
    String report = ReportTable.render(out);
    assertThat(
        report,
        containsString(
            "Confidence intervals: 95%, TFMA's jackknife over 20 samples (seed 0), shown as value"
                + " [lower, upper]"));
    MetricsForSlice overall =
        EvalResultReader.metrics(out).stream()
            .filter(m -> m.getSliceKey().getSingleSliceKeysCount() == 0)
            .findFirst()
            .orElseThrow();
    for (String[] metric :
        new String[][] {
          {"fairness_indicators_metrics/false_positive_rate@0.5", "FPR"}, {"auc", "auc"}
        }) {
      MetricsForSlice.MetricKeyAndValue kv =
          overall.getMetricKeysAndValuesList().stream()
              .filter(k -> k.getKey().getName().equals(metric[0]))
              .findFirst()
              .orElseThrow();
      String shown =
          String.format(
              Locale.ROOT,
              "%.3f [%.3f, %.3f]",
              kv.getValue().getDoubleValue().getValue(),
              kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue(),
              kv.getConfidenceInterval().getUpperBound().getDoubleValue().getValue());
      String block = report.substring(report.indexOf("Overall (891 examples)"));
      block =
          block.substring(0, block.indexOf("\n\n") < 0 ? block.length() : block.indexOf("\n\n"));
      assertThat(block, containsString(metric[1]));
      assertThat(block, containsString(shown));
    }
    // The largest significant disparity (FPR between the sexes) as the run tested it: the two
    // slices with their intervals and the counts behind their rates, from its file.
    io.fairbeam.proto.Disparity fpr =
        EvalResultReader.disparities(out).getDisparitiesList().stream()
            .filter(d -> d.getMetricKey().getName().endsWith("false_positive_rate@0.5"))
            .findFirst()
            .orElseThrow();
    io.fairbeam.proto.GapTest test = fpr.getTest();
    assertThat(report, containsString("Largest significant group disparities"));
    assertThat(
        report,
        containsString(
            String.format(
                Locale.ROOT,
                "false_positive_rate@0.5 by sex: %.3f [%.3f, %.3f], %s %.3f [%.3f, %.3f] (n = %,.0f)"
                    + " vs %s %.3f [%.3f, %.3f] (n = %,.0f)",
                test.getDifference().getValue(),
                test.getDifference().getLowerBound(),
                test.getDifference().getUpperBound(),
                io.fairbeam.slice.SliceKey.fromProto(test.getHigh().getSlice()),
                test.getHigh().getValue().getValue(),
                test.getHigh().getValue().getLowerBound(),
                test.getHigh().getValue().getUpperBound(),
                test.getHigh().getCount(),
                io.fairbeam.slice.SliceKey.fromProto(test.getLow().getSlice()),
                test.getLow().getValue().getValue(),
                test.getLow().getValue().getLowerBound(),
                test.getLow().getValue().getUpperBound(),
                test.getLow().getCount())));
    // The negatives behind each sex's FPR: Titanic has 81 women and 468 men who did not survive.
    assertEquals(81, test.getHigh().getCount(), 1e-9);
    assertEquals(468, test.getLow().getCount(), 1e-9);
    // Fairbeam's decision intervals, from the counts: 59 of the 81 women and 18 of the 468 men
    // who did not survive are predicted to (Clopper-Pearson bounds by scipy.stats.beta.ppf).
    String decisions = report.substring(report.indexOf("\nDecision intervals"));
    assertThat(
        decisions,
        containsString(
            "Decision intervals (what findings and gates decide on): 95%, Clopper-Pearson for a"
                + " rate, a score interval for an AUC, from the counts"));
    String female = decisions.substring(decisions.indexOf("\nsex:female (314 examples)"));
    female = female.substring(0, female.indexOf("\n\n", 1));
    assertThat(
        female,
        org.hamcrest.Matchers.matchesPattern(
            "(?s).*\n  FPR +0\\.728 \\[0\\.618, 0\\.821\\] 59/81\n.*"));
    String male = decisions.substring(decisions.indexOf("\nsex:male (577 examples)"));
    assertThat(
        male,
        org.hamcrest.Matchers.matchesPattern(
            "(?s).*\n  FPR +0\\.038 \\[0\\.023, 0\\.060\\] 18/468\n.*"));
  }

  /**
   * A candidate's change from its baseline with a change threshold's bound: the terminal shows the
   * paired interval from the examples the two models decide differently. Of 100 negatives the
   * baseline flags 10, the candidate those and 4 more: FallOut up 0.04, [−0.002, 0.091] from 4 vs 0
   * of 100 (Newcombe's method 10, as in PairedDifferenceIntervalTest).
   */
  @Test
  public void showsAModelsChangeWithItsPairedInterval() throws Exception {
    StringBuilder csv = new StringBuilder("label,candidate_score,baseline_score\n");
    for (int i = 0; i < 150; i++) {
      int label = i < 50 ? 1 : 0;
      int negative = i - 50;
      csv.append(label)
          .append(',')
          .append(label == 1 || negative < 14 ? "0.9" : "0.1")
          .append(',')
          .append(label == 1 || negative < 10 ? "0.9" : "0.1")
          .append('\n');
    }
    Path data = temp.newFile("two-models.csv").toPath();
    Files.writeString(data, csv);
    Path config = temp.newFile("two-models.pbtxt").toPath();
    Files.writeString(
        config,
        "model_specs { name: 'candidate' label_key: 'label' prediction_key: 'candidate_score' }\n"
            + "model_specs { name: 'baseline' label_key: 'label' prediction_key: 'baseline_score'"
            + " is_baseline: true }\n"
            + "metrics_specs { model_names: ['candidate', 'baseline']\n"
            + "  metrics { class_name: 'FallOut' threshold { change_threshold {\n"
            + "    direction: LOWER_IS_BETTER absolute { value: 0.1 } use_confidence_bound: true } } }"
            + " }\n"
            + "slicing_specs {}\n"
            + "options { compute_confidence_intervals { value: true } }\n");
    Path out = temp.getRoot().toPath().resolve("two-models");
    assertEquals(
        0,
        Fairbeam.run(
            "evaluate",
            "--config",
            config.toString(),
            "--data",
            data.toString(),
            "--output",
            out.toString()));
    String report = ReportTable.render(out);
    String decisions = report.substring(report.indexOf("\nDecision intervals"));
    String change = decisions.substring(decisions.indexOf("\nOverall  candidate - baseline\n"));
    assertThat(
        change,
        org.hamcrest.Matchers.matchesPattern(
            "(?s)\nOverall  candidate - baseline\n  fall_out +0\\.040 \\[-0\\.002, 0\\.091\\] 4 vs 0"
                + " of 100\n.*"));
  }

  /**
   * With more slices than the table shows (Titanic by fare: 248 values), Overall, both slices of
   * the largest disparity and then the largest slices are shown, and a line says how many of how
   * many.
   */
  @Test
  public void manySlicesShowTheOnesThatMatter() throws Exception {
    Path config = temp.newFile("titanic-fares.pbtxt").toPath();
    Files.writeString(
        config,
        "model_specs { label_key: 'survived' prediction_key: 'predicted' }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' }"
            + " metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' } }\n"
            + "slicing_specs {} slicing_specs { feature_keys: 'sex' }"
            + " slicing_specs { feature_keys: 'fare' }\n");
    Path out = evaluateTitanic(config, "fares");
    List<MetricsForSlice> metrics = EvalResultReader.metrics(out);
    assertEquals(1 + 2 + 248, metrics.size());
    String report = ReportTable.render(out);
    assertThat(
        report,
        containsString(
            "Shown: " + ReportTable.SUBJECTS_SHOWN + " of 251 slices and comparisons (Overall"));
    String block = report;
    block = block.substring(block.indexOf("@ 0.5"));
    block = block.substring(0, block.indexOf("\n\n"));
    // The heading, the column line, then one line per slice shown.
    assertEquals(ReportTable.SUBJECTS_SHOWN + 1, block.split("\n").length - 1);
    assertThat(block, org.hamcrest.Matchers.matchesPattern("(?s).*\\nOverall +891 .*"));
    assertThat(block, org.hamcrest.Matchers.matchesPattern("(?s).*\\nsex:male +577 .*"));
    assertThat(block, org.hamcrest.Matchers.matchesPattern("(?s).*\\nsex:female +314 .*"));
    io.fairbeam.proto.Disparity largest =
        EvalResultReader.disparities(out).getDisparitiesList().stream()
            .max(java.util.Comparator.comparingDouble(d -> d.getDifference().getValue()))
            .orElseThrow();
    assertThat(
        block,
        containsString("\n" + io.fairbeam.slice.SliceKey.fromProto(largest.getMaxSlice()) + " "));
    assertThat(
        block,
        containsString("\n" + io.fairbeam.slice.SliceKey.fromProto(largest.getMinSlice()) + " "));
    // The rest are the largest slices: none left out has more examples than one shown by size.
    // (Those named by the largest disparities come first, as many as fill the table.)
    Set<String> named = new java.util.HashSet<>(Set.of("Overall"));
    for (io.fairbeam.proto.Disparity d :
        EvalResultReader.disparities(out).getDisparitiesList().stream()
            .sorted(java.util.Comparator.comparingDouble(d -> -d.getDifference().getValue()))
            .toList()) {
      if (named.size() >= ReportTable.SUBJECTS_SHOWN) {
        break;
      }
      named.add(io.fairbeam.slice.SliceKey.fromProto(d.getMaxSlice()).toString());
      named.add(io.fairbeam.slice.SliceKey.fromProto(d.getMinSlice()).toString());
    }
    double smallestShown = Double.MAX_VALUE;
    for (String line : block.split("\n")) {
      if (line.startsWith("fare:") && !named.contains(line.split(" +")[0])) {
        smallestShown = Math.min(smallestShown, Double.parseDouble(line.split(" +")[1]));
      }
    }
    for (MetricsForSlice slice : metrics) {
      String name = io.fairbeam.slice.SliceKey.fromProto(slice.getSliceKey()).toString();
      double count =
          slice.getMetricKeysAndValuesList().stream()
              .filter(kv -> kv.getKey().getName().equals("example_count"))
              .findFirst()
              .orElseThrow()
              .getValue()
              .getDoubleValue()
              .getValue();
      if (name.startsWith("fare:") && count > smallestShown) {
        assertThat(block, containsString("\n" + name + " "));
      }
    }
  }

  /** A cross-slice comparison is its own line, "baseline - comparison", never the Overall line. */
  @Test
  public void crossSliceComparisonsAreTheirOwnLines() throws Exception {
    Path config = temp.newFile("titanic-cross.pbtxt").toPath();
    Files.writeString(
        config,
        "model_specs { label_key: 'survived' prediction_key: 'predicted' }\n"
            + "metrics_specs { metrics { class_name: 'ExampleCount' }"
            + " metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' } }\n"
            + "slicing_specs {} slicing_specs { feature_keys: 'sex' }\n"
            + "cross_slicing_specs { baseline_spec {} slicing_specs { feature_keys: 'sex' } }\n"
            + "options { compute_confidence_intervals { value: true } confidence_intervals {"
            + " method: POISSON_BOOTSTRAP confidence_level: 0.9 seed: 3 } }\n");
    Path out = evaluateTitanic(config, "cross");
    String report = ReportTable.render(out);
    assertThat(report, org.hamcrest.Matchers.matchesPattern("(?s).*\\nOverall +891 .*"));
    // Overall has 891 examples and women 314, so the comparison's count is 577.
    assertThat(
        report, org.hamcrest.Matchers.matchesPattern("(?s).*\\nOverall - sex:female +577 .*"));
    assertThat(report, org.hamcrest.Matchers.matchesPattern("(?s).*\\nOverall - sex:male +314 .*"));
    // Fairbeam's own settings reach the header and the intervals: 90% bounds lie t(0.95, 19)
    // standard errors from their centre (scipy.stats.t.ppf(0.95, 19)).
    assertThat(
        report,
        containsString(
            "Confidence intervals: 90%, TFMA's Poisson bootstrap over 20 replicates (seed 3)"));
    int checked = 0;
    for (MetricsForSlice metrics : EvalResultReader.metrics(out)) {
      for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
        double error = kv.getConfidenceInterval().getStandardError().getDoubleValue().getValue();
        if (kv.hasConfidenceInterval() && error > 0) {
          double lower = kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue();
          double upper = kv.getConfidenceInterval().getUpperBound().getDoubleValue().getValue();
          assertEquals(1.7291328115213682, (upper - lower) / (2 * error), 1e-9);
          checked++;
        }
      }
    }
    assertTrue("intervals checked: " + checked, checked >= 40);
  }
}
