package io.fairbeam.cli;

import io.fairbeam.proto.DisparityReport;
import io.fairbeam.proto.ReportBoundedValue;
import io.fairbeam.proto.ReportData;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.report.ReportFindings;
import io.fairbeam.report.ReportPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The report at the size issue 15 sets: 1,000 slices (10 features of 100 values) × 20 metrics × 10
 * thresholds, every value with an interval, made from a fixed seed. The browser test opens it;
 * {@code scripts/bench-report} times it ({@code java ... LargeReport FILE} writes it).
 */
final class LargeReport {
  static final int FEATURES = 10;
  static final int VALUES = 100;
  static final String[] METRICS = {
    "false_positive_rate",
    "false_negative_rate",
    "true_positive_rate",
    "true_negative_rate",
    "positive_rate",
    "negative_rate",
    "false_discovery_rate",
    "false_omission_rate",
    "accuracy",
    "precision",
    "recall",
    "f1",
    "specificity",
    "miss_rate",
    "fall_out",
    "selection_rate",
    "balanced_accuracy",
    "informedness",
    "markedness",
    "prevalence"
  };
  static final int THRESHOLDS = 10;

  private LargeReport() {}

  static ReportData data() {
    SplittableRandom random = new SplittableRandom(15);
    List<ReportSlice> slices = new ArrayList<>();
    slices.add(slice("Overall", "Overall", "", random));
    for (int f = 0; f < FEATURES; f++) {
      for (int v = 0; v < VALUES; v++) {
        String name = "feature" + f;
        String value = "value" + v;
        slices.add(slice(name + ":" + value, name + "=" + value, name, random));
      }
    }
    ReportResult result =
        ReportResult.newBuilder()
            .setLocation("synthetic: 1,000 slices × 20 metrics × 10 thresholds")
            .addAllSlicingMetrics(slices)
            .addAllFindings(ReportFindings.of(slices, DisparityReport.getDefaultInstance(), 0.8))
            .build();
    return ReportData.newBuilder()
        .setFairbeamVersion("test")
        .setParityRatio(0.8)
        .addResults(result)
        .build();
  }

  private static ReportSlice slice(
      String name, String label, String feature, SplittableRandom random) {
    ReportSlice.Builder slice =
        ReportSlice.newBuilder()
            .setSlice(name)
            .setSliceValue(label)
            .setLabel(label)
            .setFeature(feature)
            .putMetrics(
                "example_count",
                ReportMetricValue.newBuilder().setDoubleValue(50 + random.nextInt(5000)).build());
    for (String metric : METRICS) {
      for (int t = 1; t <= THRESHOLDS; t++) {
        double v = random.nextDouble();
        double half = 0.01 + 0.1 * random.nextDouble();
        slice.putMetrics(
            String.format(Locale.ROOT, "fairness_indicators_metrics/%s@%.1f", metric, t / 10.0),
            ReportMetricValue.newBuilder()
                .setBoundedValue(
                    ReportBoundedValue.newBuilder()
                        .setValue(v)
                        .setLowerBound(Math.max(0, v - half))
                        .setUpperBound(Math.min(1, v + half)))
                .build());
      }
    }
    return slice.build();
  }

  /** Writes the report to {@code file}. */
  static void write(Path file) throws IOException {
    Files.writeString(file, ReportPage.render(data()), StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws IOException {
    write(Path.of(args[0]));
  }
}
