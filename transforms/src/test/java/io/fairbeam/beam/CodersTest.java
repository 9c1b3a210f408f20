package io.fairbeam.beam;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.fairbeam.eval.RunCounts;
import io.fairbeam.metrics.AccumulatorSpec;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.PreparedExample;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.proto.RunSummary;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.slice.SliceValue;
import java.util.List;
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
  public void modelAccumulators() throws Exception {
    AccumulatorSpec spec =
        AccumulatorSpec.builder().addThresholds(List.of(0.3, 0.5)).requireHistogram().build();
    ModelAccumulators accumulators = new ModelAccumulators(spec, 2);
    PreparedExample example = new PreparedExample(spec);
    double[][] rows = {{1, 0.9, 2}, {0, 0.4, 1}, {1, 0.1, 0.5}};
    for (double[] row : rows) {
      example.prepare(row[0], row[1], row[2]);
      accumulators.model(0).add(example);
      accumulators.model(1).add(example);
    }
    ModelAccumulatorsCoder coder = new ModelAccumulatorsCoder(spec);
    for (ModelAccumulators decoded : roundTrips(coder, accumulators)) {
      assertArrayEquals(accumulators.toBytes(), decoded.toBytes());
    }
    CoderProperties.coderSerializable(coder);
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
