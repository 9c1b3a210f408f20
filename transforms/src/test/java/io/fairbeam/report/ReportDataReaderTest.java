package io.fairbeam.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.DoubleValue;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.proto.ReportFinding;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.proto.ReportSlice;
import io.fairbeam.proto.ReportSliceIndex;
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
 * A result with more slices than a report embeds: the page data details {@link
 * ReportDataReader#SLICES_DETAILED} of them (Overall, both sides of every finding, then the largest
 * by example count) and says how many the result has, the findings are those of all slices, and the
 * index of all slices holds every slice's example count and rate, rounded as documented.
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
    assertEquals(ReportDataReader.SLICES_DETAILED, embedded.size());
    assertTrue(embedded.contains("Overall"));
    ReportFinding gap = data.getFindings(0);
    assertEquals("store:7", gap.getHigh().getSlice());
    assertEquals("store:11", gap.getLow().getSlice());
    assertTrue(embedded.contains("store:7"));
    assertTrue(embedded.contains("store:11"));
    // Then the largest: the stores numbered highest have the most examples.
    for (int i = stores - 1; i >= stores - (ReportDataReader.SLICES_DETAILED - 3); i--) {
      assertTrue("store:" + i, embedded.contains("store:" + i));
    }
    assertTrue(!embedded.contains("store:" + (stores - ReportDataReader.SLICES_DETAILED - 3)));
    assertIndexHoldsEverySlice(data.getSliceIndex(), stores);
    String page =
        ReportPage.render(
            io.fairbeam.proto.ReportData.newBuilder()
                .setParityRatio(ReportFindings.FOUR_FIFTHS)
                .addResults(data)
                .build());
    assertTrue(page.contains("This page holds 500 of the result's 1,501 slices in detail"));
    assertTrue(page.contains("id=\"fb-index-r0\""));
    assertTrue(page.contains(": all 1,501 slices</h2>"));
  }

  /**
   * The index has a group for Overall and one for store, the example count and the rate as columns,
   * and each store's values as written (the same random sequence drawn again), the rate to 4
   * decimal places.
   */
  private static void assertIndexHoldsEverySlice(ReportSliceIndex index, int stores) {
    assertEquals(2, index.getGroupsCount());
    assertEquals(List.of(), index.getGroups(0).getFeaturesList());
    assertEquals(1, index.getGroups(0).getSlices());
    assertEquals(List.of("store"), index.getGroups(1).getFeaturesList());
    assertEquals(stores, index.getGroups(1).getSlices());
    assertEquals(2, index.getColumnsCount());
    assertEquals("example_count", index.getColumns(0).getMetric());
    assertEquals(0, index.getColumns(0).getDecimals());
    assertEquals(
        "fairness_indicators_metrics/false_positive_rate@0.5", index.getColumns(1).getMetric());
    assertEquals(4, index.getColumns(1).getDecimals());
    assertEquals(List.of(1_000_000, 2_000), index.getValuesList().subList(0, 2));
    Random random = new Random(3);
    for (int i = 0; i < stores; i++) {
      double rate = i == 7 ? 0.9 : i == 11 ? 0.01 : 0.1 + random.nextDouble() * 0.2;
      int row = index.getGroups(1).getValuesList().indexOf(String.valueOf(i)) + 1;
      assertEquals(i == 7 ? 1 : 100 + i, index.getValues(row * 2));
      assertEquals(Math.round(rate * 1e4), index.getValues(row * 2 + 1));
    }
  }
}
