package io.fairbeam.beam;

import io.fairbeam.eval.SliceValues;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Encodes a slice's {@link SliceValues}: its key, whether it is suppressed, and the point (at full
 * and, when different, at the replicates' resolution) and each replicate as a {@code
 * MetricsForSlice} of its values (a replicate without data as none), then the example count, the
 * proportions behind the rates and the AUCs' DeLong estimates.
 */
final class SliceValuesCoder extends AtomicCoder<SliceValues> {
  private static final long serialVersionUID = 1L;
  private static final SliceValuesCoder INSTANCE = new SliceValuesCoder();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  static SliceValuesCoder of() {
    return INSTANCE;
  }

  private SliceValuesCoder() {}

  @Override
  public void encode(SliceValues value, OutputStream out) throws IOException {
    SliceKeyCoder.of().encode(value.key(), out);
    BooleanCoder.of().encode(value.suppressed(), out);
    BYTES.encode(toProto(value.point()).toByteArray(), out);
    BooleanCoder.of().encode(value.replicatePoint() == value.point(), out);
    if (value.replicatePoint() != value.point()) {
      BYTES.encode(toProto(value.replicatePoint()).toByteArray(), out);
    }
    VarIntCoder.of().encode(value.replicates().size(), out);
    for (Map<MetricKey, MetricValue> replicate : value.replicates()) {
      BooleanCoder.of().encode(replicate != null, out);
      if (replicate != null) {
        BYTES.encode(toProto(replicate).toByteArray(), out);
      }
    }
    VarLongCoder.of().encode(value.exampleCount(), out);
    VarIntCoder.of().encode(value.proportions().size(), out);
    for (Map.Entry<MetricKey, Proportion> p : value.proportions().entrySet()) {
      BYTES.encode(p.getKey().toByteArray(), out);
      DataOutputStream data = new DataOutputStream(out);
      data.writeDouble(p.getValue().estimate());
      data.writeDouble(p.getValue().n());
      data.flush();
    }
    VarIntCoder.of().encode(value.aucs().size(), out);
    for (Map.Entry<MetricKey, DeLongAucInterval.Estimate> a : value.aucs().entrySet()) {
      BYTES.encode(a.getKey().toByteArray(), out);
      DataOutputStream data = new DataOutputStream(out);
      data.writeDouble(a.getValue().auc());
      data.writeDouble(a.getValue().variance());
      data.writeDouble(a.getValue().positives());
      data.writeDouble(a.getValue().negatives());
      data.flush();
    }
  }

  @Override
  public SliceValues decode(InputStream in) throws IOException {
    SliceKey key = SliceKeyCoder.of().decode(in);
    boolean suppressed = BooleanCoder.of().decode(in);
    Map<MetricKey, MetricValue> point = fromProto(BYTES.decode(in));
    Map<MetricKey, MetricValue> replicatePoint =
        BooleanCoder.of().decode(in) ? point : fromProto(BYTES.decode(in));
    int count = VarIntCoder.of().decode(in);
    List<Map<MetricKey, MetricValue>> replicates = new ArrayList<>(count);
    for (int r = 0; r < count; r++) {
      replicates.add(BooleanCoder.of().decode(in) ? fromProto(BYTES.decode(in)) : null);
    }
    long exampleCount = VarLongCoder.of().decode(in);
    int proportionCount = VarIntCoder.of().decode(in);
    Map<MetricKey, Proportion> proportions = new LinkedHashMap<>();
    for (int i = 0; i < proportionCount; i++) {
      MetricKey metric = MetricKey.parseFrom(BYTES.decode(in));
      DataInputStream data = new DataInputStream(in);
      proportions.put(metric, new Proportion(data.readDouble(), data.readDouble()));
    }
    int aucCount = VarIntCoder.of().decode(in);
    Map<MetricKey, DeLongAucInterval.Estimate> aucs = new LinkedHashMap<>();
    for (int i = 0; i < aucCount; i++) {
      MetricKey metric = MetricKey.parseFrom(BYTES.decode(in));
      DataInputStream data = new DataInputStream(in);
      aucs.put(
          metric,
          new DeLongAucInterval.Estimate(
              data.readDouble(), data.readDouble(), data.readDouble(), data.readDouble()));
    }
    return new SliceValues(
        key, suppressed, point, replicatePoint, replicates, exampleCount, proportions, aucs);
  }

  private static MetricsForSlice toProto(Map<MetricKey, MetricValue> values) {
    MetricsForSlice.Builder proto = MetricsForSlice.newBuilder();
    values.forEach((k, v) -> proto.addMetricKeysAndValuesBuilder().setKey(k).setValue(v));
    return proto.build();
  }

  private static Map<MetricKey, MetricValue> fromProto(byte[] bytes) throws IOException {
    Map<MetricKey, MetricValue> values = new LinkedHashMap<>();
    for (MetricsForSlice.MetricKeyAndValue kv :
        MetricsForSlice.parseFrom(bytes).getMetricKeysAndValuesList()) {
      values.put(kv.getKey(), kv.getValue());
    }
    return values;
  }
}
