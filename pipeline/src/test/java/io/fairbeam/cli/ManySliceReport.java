package io.fairbeam.cli;

import com.google.protobuf.DoubleValue;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.proto.ReportData;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.report.ReportDataReader;
import io.fairbeam.report.ReportFindings;
import io.fairbeam.report.ReportPage;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A report of many slices, made as a user's would be: a result in TFMA's layout whose slices are a
 * zip code and zip × sex (Overall, then N / 3 zips and 2N / 3 pairs), each with its example count
 * and 8 Fairness Indicators rates at 3 thresholds, from a fixed seed, rendered by the report's own
 * reader. {@code scripts/bench-report} times it at 100,000 slices ({@code java ... ManySliceReport
 * DIR N} writes DIR/result and DIR/report.html).
 */
final class ManySliceReport {
  /** The first 8 of the large report's metrics: the Fairness Indicators' rates. */
  static final String[] RATES = java.util.Arrays.copyOf(LargeReport.METRICS, 8);

  static final String[] THRESHOLDS = {"0.25", "0.50", "0.75"};

  private ManySliceReport() {}

  /** Writes the result of about {@code slices} slices under {@code dir}/result, and its report. */
  static Path write(Path dir, int slices) throws IOException {
    Path result = dir.resolve("result");
    Files.createDirectories(result);
    SplittableRandom random = new SplittableRandom(24);
    int zips = Math.max(1, (slices - 1) / 3);
    try (OutputStream out =
            Files.newOutputStream(result.resolve("metrics-00000-of-00001.tfrecord"));
        TFRecordWriter writer = new TFRecordWriter(out)) {
      writer.write(slice(SliceKey.OVERALL, 100L * slices, random).toByteArray());
      for (int zip = 0; zip < zips; zip++) {
        SliceKey.Column zipColumn = new SliceKey.Column("zip", SliceValue.ofInt64(zip));
        writer.write(slice(SliceKey.of(List.of(zipColumn)), 300, random).toByteArray());
        for (String sex : new String[] {"F", "M"}) {
          SliceKey.Column sexColumn = new SliceKey.Column("sex", SliceValue.ofString(sex));
          writer.write(
              slice(SliceKey.of(List.of(sexColumn, zipColumn)), 150, random).toByteArray());
        }
      }
    }
    Path report = dir.resolve("report.html");
    ReportData data =
        ReportData.newBuilder()
            .setParityRatio(ReportFindings.FOUR_FIFTHS)
            .addResults(ReportDataReader.read(result, "many slices", ReportFindings.FOUR_FIFTHS))
            .build();
    Files.writeString(report, ReportPage.render(data), StandardCharsets.UTF_8);
    return report;
  }

  private static MetricsForSlice slice(SliceKey key, long meanCount, SplittableRandom random) {
    MetricsForSlice.Builder metrics = MetricsForSlice.newBuilder().setSliceKey(key.toProto());
    add(metrics, "example_count", meanCount / 2 + random.nextLong(meanCount));
    for (String threshold : THRESHOLDS) {
      for (String rate : RATES) {
        add(metrics, "fairness_indicators_metrics/" + rate + "@" + threshold, random.nextDouble());
      }
    }
    return metrics.build();
  }

  private static void add(MetricsForSlice.Builder metrics, String name, double value) {
    metrics
        .addMetricKeysAndValuesBuilder()
        .setKey(MetricKey.newBuilder().setName(name))
        .setValue(MetricValue.newBuilder().setDoubleValue(DoubleValue.of(value)));
  }

  public static void main(String[] args) throws IOException {
    long started = System.nanoTime();
    Path report = write(Path.of(args[0]), Integer.parseInt(args[1]));
    System.out.printf(
        Locale.ROOT,
        "%s: %,d bytes, rendered in %.1f s%n",
        report,
        Files.size(report),
        (System.nanoTime() - started) / 1e9);
  }
}
