package io.fairbeam.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.DoubleValue;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.proto.ReportFinding;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A result with more slices than a report embeds: the page data holds {@link
 * ReportDataReader#SLICES_EMBEDDED} of them (Overall, both sides of every finding, then the largest
 * by example count) and says how many the result has, and the findings are those of all slices.
 */
public class ReportDataReaderTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static MetricsForSlice slice(SliceKey key, double count, double rate) {
    MetricsForSlice.Builder metrics = MetricsForSlice.newBuilder().setSliceKey(key.toProto());
    metrics
        .addMetricKeysAndValuesBuilder()
        .setKey(MetricKey.newBuilder().setName("example_count"))
        .setValue(MetricValue.newBuilder().setDoubleValue(DoubleValue.of(count)));
    metrics
        .addMetricKeysAndValuesBuilder()
        .setKey(
            MetricKey.newBuilder().setName("fairness_indicators_metrics/false_positive_rate@0.5"))
        .setValue(MetricValue.newBuilder().setDoubleValue(DoubleValue.of(rate)));
    return metrics.build();
  }

  @Test
  public void embedsTheSlicesThatMatterPastTheLimit() throws Exception {
    int stores = ReportDataReader.SLICES_EMBEDDED + 500;
    Path result = temp.newFolder("result").toPath();
    Random random = new Random(3);
    try (OutputStream out =
            Files.newOutputStream(result.resolve("metrics-00000-of-00001.tfrecord"));
        TFRecordWriter writer = new TFRecordWriter(out)) {
      writer.write(slice(SliceKey.OVERALL, 1e6, 0.2).toByteArray());
      for (int i = 0; i < stores; i++) {
        SliceKey store = SliceKey.of(List.of(new SliceKey.Column("store", SliceValue.ofInt64(i))));
        // Store 7 is the smallest and has the highest rate; store 11 the lowest.
        double rate = i == 7 ? 0.9 : i == 11 ? 0.01 : 0.1 + random.nextDouble() * 0.2;
        writer.write(slice(store, i == 7 ? 1 : 100 + i, rate).toByteArray());
      }
    }
    ReportResult data = ReportDataReader.read(result, "result", ReportFindings.FOUR_FIFTHS);
    assertEquals(stores + 1, data.getSliceCount());
    Set<String> embedded =
        data.getSlicingMetricsList().stream()
            .map(ReportSlice::getSlice)
            .collect(Collectors.toSet());
    assertEquals(ReportDataReader.SLICES_EMBEDDED, embedded.size());
    assertTrue(embedded.contains("Overall"));
    ReportFinding gap = data.getFindings(0);
    assertEquals("store:7", gap.getHigh().getSlice());
    assertEquals("store:11", gap.getLow().getSlice());
    assertTrue(embedded.contains("store:7"));
    assertTrue(embedded.contains("store:11"));
    // Then the largest: the stores numbered highest have the most examples.
    for (int i = stores - 1; i >= stores - (ReportDataReader.SLICES_EMBEDDED - 3); i--) {
      assertTrue("store:" + i, embedded.contains("store:" + i));
    }
    assertTrue(!embedded.contains("store:" + (stores - ReportDataReader.SLICES_EMBEDDED - 3)));
    String page =
        ReportPage.render(
            io.fairbeam.proto.ReportData.newBuilder()
                .setParityRatio(ReportFindings.FOUR_FIFTHS)
                .addResults(data)
                .build());
    assertTrue(page.contains("This page holds 1,000 of the result's 1,501 slices"));
  }
}
