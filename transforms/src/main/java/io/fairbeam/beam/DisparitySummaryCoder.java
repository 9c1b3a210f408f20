package io.fairbeam.beam;

import io.fairbeam.eval.DisparitySummary;
import io.fairbeam.proto.tfma.MetricKey;
import io.fairbeam.slice.SliceKey;
import io.fairbeam.stats.DeLongAucInterval;
import io.fairbeam.stats.Proportion;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;

/**
 * Encodes a {@link DisparitySummary}: per metric its key, the two extreme slices and the bounds.
 */
final class DisparitySummaryCoder extends AtomicCoder<DisparitySummary> {
  private static final long serialVersionUID = 1L;
  private static final DisparitySummaryCoder INSTANCE = new DisparitySummaryCoder();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  static DisparitySummaryCoder of() {
    return INSTANCE;
  }

  private DisparitySummaryCoder() {}

  @Override
  public void encode(DisparitySummary value, OutputStream out) throws IOException {
    List<Map.Entry<MetricKey, DisparitySummary.Extremes>> metrics = value.metrics();
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(metrics.size());
    data.flush();
    for (Map.Entry<MetricKey, DisparitySummary.Extremes> metric : metrics) {
      BYTES.encode(metric.getKey().toByteArray(), out);
      DisparitySummary.Extremes e = metric.getValue();
      SliceKeyCoder.of().encode(e.firstSlice(), out);
      data.writeInt(e.firstPosition());
      data.writeLong(e.sliceCount());
      data.flush();
      if (e.sliceCount() > 0) {
        encode(e.max(), out);
        encode(e.min(), out);
        data.writeDouble(e.aroundMax());
        data.writeDouble(e.aroundMin());
        writeArray(data, e.replicateMax());
        writeArray(data, e.replicateMin());
        data.writeLong(e.testedCount());
        data.flush();
        encodeList(e.surelyHighest(), out);
        encodeList(e.surelyLowest(), out);
      }
    }
  }

  @Override
  public DisparitySummary decode(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int count = data.readInt();
    List<Map.Entry<MetricKey, DisparitySummary.Extremes>> metrics = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      MetricKey key = MetricKey.parseFrom(BYTES.decode(in));
      SliceKey first = SliceKeyCoder.of().decode(in);
      int position = data.readInt();
      long slices = data.readLong();
      DisparitySummary.Extremes extremes;
      if (slices == 0) {
        extremes = DisparitySummary.Extremes.none(first, position);
      } else {
        DisparitySummary.Extreme max = decodeExtreme(in);
        DisparitySummary.Extreme min = decodeExtreme(in);
        double aroundMax = data.readDouble();
        double aroundMin = data.readDouble();
        double[] replicateMax = readArray(data);
        double[] replicateMin = readArray(data);
        long tested = data.readLong();
        extremes =
            new DisparitySummary.Extremes(
                first,
                position,
                slices,
                max,
                min,
                aroundMax,
                aroundMin,
                replicateMax,
                replicateMin,
                tested,
                decodeList(in),
                decodeList(in));
      }
      metrics.add(new AbstractMap.SimpleImmutableEntry<>(key, extremes));
    }
    return DisparitySummary.of(metrics);
  }

  private static void encode(DisparitySummary.Extreme extreme, OutputStream out)
      throws IOException {
    SliceKeyCoder.of().encode(extreme.slice(), out);
    DataOutputStream data = new DataOutputStream(out);
    data.writeDouble(extreme.value());
    data.writeDouble(extreme.around());
    writeArray(data, extreme.replicates());
    Proportion proportion = extreme.proportion();
    data.writeBoolean(proportion != null);
    if (proportion != null) {
      data.writeDouble(proportion.estimate());
      data.writeDouble(proportion.n());
    }
    DeLongAucInterval.Estimate auc = extreme.auc();
    data.writeBoolean(auc != null);
    if (auc != null) {
      data.writeDouble(auc.auc());
      data.writeDouble(auc.variance());
      data.writeDouble(auc.positives());
      data.writeDouble(auc.negatives());
    }
    data.writeDouble(extreme.count());
    data.writeDouble(extreme.lowerBound());
    data.writeDouble(extreme.upperBound());
    data.flush();
  }

  private static DisparitySummary.Extreme decodeExtreme(InputStream in) throws IOException {
    SliceKey slice = SliceKeyCoder.of().decode(in);
    DataInputStream data = new DataInputStream(in);
    double value = data.readDouble();
    double around = data.readDouble();
    double[] replicates = readArray(data);
    Proportion proportion =
        data.readBoolean() ? new Proportion(data.readDouble(), data.readDouble()) : null;
    DeLongAucInterval.Estimate auc =
        data.readBoolean()
            ? new DeLongAucInterval.Estimate(
                data.readDouble(), data.readDouble(), data.readDouble(), data.readDouble())
            : null;
    return new DisparitySummary.Extreme(
        slice,
        value,
        around,
        replicates,
        proportion,
        auc,
        data.readDouble(),
        data.readDouble(),
        data.readDouble());
  }

  private static void encodeList(List<DisparitySummary.Extreme> extremes, OutputStream out)
      throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(extremes.size());
    data.flush();
    for (DisparitySummary.Extreme extreme : extremes) {
      encode(extreme, out);
    }
  }

  private static List<DisparitySummary.Extreme> decodeList(InputStream in) throws IOException {
    int size = new DataInputStream(in).readInt();
    List<DisparitySummary.Extreme> extremes = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      extremes.add(decodeExtreme(in));
    }
    return List.copyOf(extremes);
  }

  private static void writeArray(DataOutputStream data, double[] values) throws IOException {
    data.writeInt(values == null ? -1 : values.length);
    if (values != null) {
      for (double value : values) {
        data.writeDouble(value);
      }
    }
  }

  private static double[] readArray(DataInputStream data) throws IOException {
    int length = data.readInt();
    if (length < 0) {
      return null;
    }
    double[] values = new double[length];
    for (int i = 0; i < length; i++) {
      values[i] = data.readDouble();
    }
    return values;
  }

  @Override
  public void verifyDeterministic() {}
}
