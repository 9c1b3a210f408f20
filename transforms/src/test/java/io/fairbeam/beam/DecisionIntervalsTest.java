package io.fairbeam.beam;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.config.EvalConfigLoader;
import io.fairbeam.eval.DecisionCounts;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.DecisionCountsForSlice;
import io.fairbeam.proto.PairedChange;
import io.fairbeam.proto.ReportDecision;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.report.ReportDataReader;
import io.fairbeam.report.ReportFindings;
import io.fairbeam.stats.Proportion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Fairbeam's decision intervals of every slice, written beside TFMA's metrics and read back as the
 * report shows them, against the counts by hand and Clopper-Pearson bounds from {@code
 * scipy.stats.beta.ppf}: a slice that found 10 of its 10 positives has no usable TFMA interval in
 * the metrics file, and the decision interval [0.025^(1/10), 1] = [0.691503, 1] beside it; 360 of
 * 400 is [0.866322, 0.927594].
 */
public class DecisionIntervalsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder temp = new TemporaryFolder();

  private static final String CONFIG =
      "model_specs { label_key: 'label' prediction_key: 'score' }\n"
          + "metrics_specs { metrics { class_name: 'Recall' } metrics { class_name: 'AUC' } }\n"
          + "slicing_specs { feature_keys: 'group' }\n"
          + "options { compute_confidence_intervals { value: true } }\n";

  private static void add(List<byte[]> records, String group, int label, float score, int n) {
    for (int i = 0; i < n; i++) {
      records.add(
          example("group", text(group), "label", ints(label), "score", floats(score))
              .toByteArray());
    }
  }

  @Test
  public void everySliceHasItsCountsWrittenAndItsIntervalShown() throws Exception {
    List<byte[]> records = new ArrayList<>();
    add(records, "small", 1, 0.9f, 10);
    add(records, "small", 0, 0.1f, 5);
    add(records, "large", 1, 0.9f, 360);
    add(records, "large", 1, 0.1f, 40);
    add(records, "large", 0, 0.1f, 200);
    Path out = temp.getRoot().toPath().resolve("result");
    pipeline
        .apply(Create.of(records).withCoder(ByteArrayCoder.of()))
        .apply(FairnessEval.evaluate(EvalConfigLoader.parse(CONFIG, "decisions.pbtxt")))
        .apply(FairnessEval.write().to(out.toString()));
    pipeline.run().waitUntilFinish();

    // The file: per slice, the recall's rate and the positives behind it; the AUC's classes.
    Map<String, DecisionCountsForSlice> written = new HashMap<>();
    EvalResultReader.forEachDecisionCounts(
        out,
        record ->
            written.put(
                io.fairbeam.slice.SliceKey.fromProto(record.getSliceKey()).toString(), record));
    assertEquals(written.keySet().toString(), 2, written.size());
    List<MetricKey> rateKeys =
        EvalResultReader.runSummary(out).getDecisionIntervals().getRatesList();
    assertEquals(List.of("recall"), rateKeys.stream().map(MetricKey::getName).toList());
    Proportion small = rate(written.get("group:small"), rateKeys);
    assertEquals(1.0, small.estimate(), 0);
    assertEquals(10, small.n(), 0);
    Proportion large = rate(written.get("group:large"), rateKeys);
    assertEquals(0.9, large.estimate(), 1e-12);
    assertEquals(400, large.n(), 0);
    assertEquals(400, written.get("group:large").getAucs(0).getPositives(), 0);
    assertEquals(200, written.get("group:large").getAucs(0).getNegatives(), 0);

    // TFMA's file keeps TFMA's interval, which says nothing here: the jackknife's 20 buckets of 15
    // examples give no bounds (NaN), and where they do, every replicate's recall is 1: [1, 1].
    MetricsForSlice smallMetrics =
        EvalResultReader.metrics(out).stream()
            .filter(m -> m.toString().contains("small"))
            .findFirst()
            .orElseThrow();
    MetricsForSlice.MetricKeyAndValue tfma =
        smallMetrics.getMetricKeysAndValuesList().stream()
            .filter(kv -> kv.getKey().getName().equals("recall"))
            .findFirst()
            .orElseThrow();
    double tfmaLower = tfma.getConfidenceInterval().getLowerBound().getDoubleValue().getValue();
    assertTrue(tfma.toString(), Double.isNaN(tfmaLower) || tfmaLower == 1.0);

    // The report's decision intervals, from those counts with the run's settings.
    ReportResult report = ReportDataReader.read(out, "result", ReportFindings.FOUR_FIFTHS);
    ReportDecision smallInterval = decision(report, "group:small", "recall");
    assertEquals(0.691503, smallInterval.getLowerBound(), 1e-6);
    assertEquals(1.0, smallInterval.getUpperBound(), 0);
    assertEquals(10, smallInterval.getCount(), 0);
    ReportDecision largeInterval = decision(report, "group:large", "recall");
    assertEquals(0.866322, largeInterval.getLowerBound(), 1e-6);
    assertEquals(0.927594, largeInterval.getUpperBound(), 1e-6);
    // The small slice's AUC is 1 (every positive above every negative): DeLong's interval would
    // have no width; the score interval from 10 positives and 5 negatives is [0.716546, 1]
    // (scipy.optimize.brentq, as in AucScoreIntervalTest).
    ReportDecision smallAuc = decision(report, "group:small", "auc");
    assertFalse(smallAuc.hasMissing());
    assertEquals(0.716546, smallAuc.getLowerBound(), 1e-6);
    assertEquals(1.0, smallAuc.getUpperBound(), 0);
    assertEquals(10, smallAuc.getCount(), 0);
    assertEquals(5, smallAuc.getNegatives(), 0);
  }

  /**
   * A candidate's change from its baseline, with a change threshold's bound: the file holds the two
   * models' decisions on the negatives (10 both flag, 4 only the candidate, 86 neither), and the
   * report shows the paired interval of the FPR's change, [−0.00243281, 0.0910516] (Newcombe's
   * method 10 in Python over statsmodels' Wilson intervals, as in PairedDifferenceIntervalTest).
   */
  @Test
  public void aModelsChangeHasItsPairedIntervalWrittenAndShown() throws Exception {
    Path out = temp.getRoot().toPath().resolve("change");
    pipeline
        .apply(Create.of(TwoModelRecords.records()).withCoder(ByteArrayCoder.of()))
        .apply(
            FairnessEval.evaluate(
                EvalConfigLoader.parse(TwoModelRecords.config(0.08), "change.pbtxt")))
        .apply(FairnessEval.write().to(out.toString()));
    pipeline.run().waitUntilFinish();
    List<DecisionCountsForSlice> records = new ArrayList<>();
    EvalResultReader.forEachDecisionCounts(out, records::add);
    assertEquals(1, records.size());
    PairedChange change = records.get(0).getChanges(0);
    assertEquals("fall_out", change.getMetricKey().getName());
    assertTrue(change.getMetricKey().getIsDiff());
    assertEquals("candidate", change.getMetricKey().getModelName());
    assertEquals(10, change.getBoth(), 0);
    assertEquals(4, change.getOnlyCandidate(), 0);
    assertEquals(0, change.getOnlyBaseline(), 0);
    assertEquals(86, change.getNeither(), 0);
    ReportResult report = ReportDataReader.read(out, "change", ReportFindings.FOUR_FIFTHS);
    ReportSlice overall =
        report.getSlicingMetricsList().stream()
            .filter(s -> s.getModel().equals("candidate"))
            .findFirst()
            .orElseThrow();
    ReportDecision shown = overall.getDecisionsOrThrow("fall_out_diff");
    assertEquals(0.04, shown.getValue(), 1e-12);
    assertEquals(-0.00243281, shown.getLowerBound(), 1e-8);
    assertEquals(0.0910516, shown.getUpperBound(), 1e-7);
    assertEquals(4, shown.getOnlyCandidate(), 0);
  }

  private static Proportion rate(DecisionCountsForSlice record, List<MetricKey> rateKeys) {
    return DecisionCounts.rates(record, rateKeys).values().iterator().next();
  }

  private static ReportDecision decision(ReportResult report, String slice, String metric) {
    ReportSlice shown =
        report.getSlicingMetricsList().stream()
            .filter(s -> s.getSlice().equals(slice))
            .findFirst()
            .orElseThrow();
    return shown.getDecisionsOrThrow(metric);
  }
}
