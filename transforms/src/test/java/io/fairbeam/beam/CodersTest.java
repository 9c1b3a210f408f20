package io.fairbeam.beam;

import static org.junit.Assert.assertEquals;

import io.fairbeam.eval.DisparitySummary;
import io.fairbeam.eval.RunCounts;
import io.fairbeam.eval.SliceValues;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** Each coder of Fairbeam's PCollections round-trips its values, in every context. */
public class CodersTest {
  /**
   * {@code value} encoded and decoded alone (the outer context) and inside a list (the nested
   * context, where the coder must know where the value ends).
   */
  private static <T> List<T> roundTrips(Coder<T> coder, T value) throws Exception {
    T outer = CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value));
    ListCoder<T> list = ListCoder.of(coder);
    List<T> nested =
        CoderUtils.decodeFromByteArray(
            list, CoderUtils.encodeToByteArray(list, List.of(value, value)));
    return List.of(outer, nested.get(0), nested.get(1));
  }

  @Test
  public void sliceKeys() throws Exception {
    List<SliceKey> keys =
        List.of(
            SliceKey.OVERALL,
            SliceKey.of(List.of(new SliceKey.Column("sex", SliceValue.ofString("Female")))),
            SliceKey.of(
                List.of(
                    new SliceKey.Column("sex", SliceValue.ofString("Male")),
                    new SliceKey.Column("age", SliceValue.ofInt64(-3)),
                    new SliceKey.Column("score", SliceValue.ofFloat(0.25f)),
                    new SliceKey.Column("raw", SliceValue.ofBytes(new byte[] {0, (byte) 0xff})))));
    for (SliceKey key : keys) {
      CoderProperties.coderDecodeEncodeEqual(SliceKeyCoder.of(), key);
    }
    CoderProperties.coderDeterministic(
        SliceKeyCoder.of(), keys.get(2), SliceKey.of(List.copyOf(keys.get(2).columns())));
    CoderProperties.coderSerializable(SliceKeyCoder.of());
  }

  @Test
  public void runCounts() throws Exception {
    RunCounts counts = new RunCounts();
    for (int i = 0; i < 5; i++) {
      counts.recordRead();
      counts.exampleEvaluated();
    }
    counts.recordRead();
    counts.skipped("label 'y' missing");
    counts.slicingFeaturePresent("sex", 5);
    for (RunCounts decoded : roundTrips(RunCountsCoder.of(), counts)) {
      assertEquals(counts.toProto(), decoded.toProto());
      assertEquals(counts.slicingFeatureExamples(), decoded.slicingFeatureExamples());
    }
    CoderProperties.coderSerializable(RunCountsCoder.of());
  }

  @Test
  public void disparitySummary() throws Exception {
    SliceKey a = SliceKey.of(List.of(new SliceKey.Column("g", SliceValue.ofString("a"))));
    SliceKey b = SliceKey.of(List.of(new SliceKey.Column("g", SliceValue.ofInt64(7))));
    MetricKey rate = MetricKey.newBuilder().setName("false_positive_rate@0.5").build();
    MetricKey auc = MetricKey.newBuilder().setName("auc").setModelName("candidate").build();
    DisparitySummary.Extreme high =
        new DisparitySummary.Extreme(
            a,
            0.75,
            0.74,
            new double[] {0.7, 0.8, Double.NaN},
            new Proportion(0.75, 12.5),
            null,
            12.5,
            0.5,
            0.9);
    DisparitySummary.Extreme low =
        new DisparitySummary.Extreme(
            b,
            0.25,
            0.26,
            null,
            null,
            new DeLongAucInterval.Estimate(0.25, 0.01, 30, 40),
            30,
            0.1,
            0.4);
    DisparitySummary summary =
        DisparitySummary.of(
            List.of(
                Map.entry(
                    rate,
                    new DisparitySummary.Extremes(
                        a,
                        0,
                        2,
                        high,
                        low,
                        0.74,
                        0.26,
                        new double[] {0.7, 0.8, 0.9},
                        null,
                        2,
                        List.of(high, low),
                        List.of(low, high))),
                Map.entry(
                    rate.toBuilder().setName("recall@0.5").build(),
                    new DisparitySummary.Extremes(
                        a, 1, 2, high, low, 0.74, 0.26, null, null, 1, List.of(low), List.of(low))),
                Map.entry(auc, DisparitySummary.Extremes.none(b, 3))));
    for (DisparitySummary decoded : roundTrips(DisparitySummaryCoder.of(), summary)) {
      assertEquals(summary, decoded);
    }
    CoderProperties.coderSerializable(DisparitySummaryCoder.of());
  }

  @Test
  public void sliceValues() throws Exception {
    SliceKey a = SliceKey.of(List.of(new SliceKey.Column("g", SliceValue.ofString("a"))));
    MetricKey rate =
        MetricKey.newBuilder().setName("fairness_indicators_metrics/recall@0.5").build();
    MetricKey auc = MetricKey.newBuilder().setName("auc").build();
    Map<MetricKey, MetricValue> point = new LinkedHashMap<>();
    point.put(rate, value(0.75));
    point.put(auc, value(0.6));
    Map<MetricKey, MetricValue> replicate = Map.of(rate, value(0.7));
    SliceValues values =
        new SliceValues(
            a,
            false,
            point,
            replicate,
            java.util.Arrays.asList(replicate, null),
            40,
            Map.of(rate, new Proportion(0.75, 12.5)),
            Map.of(auc, new DeLongAucInterval.Estimate(0.6, 0.004, 12, 28)));
    for (SliceValues decoded : roundTrips(SliceValuesCoder.of(), values)) {
      assertEquals(values, decoded);
    }
    SliceValues hidden = new SliceValues(a, true, Map.of(), Map.of(), List.of());
    for (SliceValues decoded : roundTrips(SliceValuesCoder.of(), hidden)) {
      assertEquals(hidden, decoded);
    }
  }

  private static MetricValue value(double v) {
    return MetricValue.newBuilder().setDoubleValue(com.google.protobuf.DoubleValue.of(v)).build();
  }

  @Test
  public void resultProtos() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        ProtoCoder.of(BadRecord.class),
        BadRecord.newBuilder()
            .setSource("a.tfrecord")
            .setRecordIndex(7)
            .setReason("undecodable record")
            .build());
    CoderProperties.coderDecodeEncodeEqual(
        ProtoCoder.of(RunSummary.class),
        RunSummary.newBuilder().setRecordsRead(3).putRecordsSkippedByReason("x", 1).build());
    CoderProperties.coderDecodeEncodeEqual(
        ProtoCoder.of(MetricsForSlice.class),
        MetricsForSlice.newBuilder().setSliceKey(SliceKey.OVERALL.toProto()).build());
  }
}
