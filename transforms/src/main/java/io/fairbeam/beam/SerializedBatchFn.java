package io.fairbeam.beam;

import com.google.protobuf.MessageLite;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;

/**
 * Serializes a bundle's result records into batches of their bytes, so the step that writes the
 * result files receives a few batches rather than one element per slice: a runner encodes and
 * materializes each element it groups for the writer, and the bytes are what the file holds.
 */
final class SerializedBatchFn<T extends MessageLite> extends DoFn<T, List<byte[]>> {
  private static final long serialVersionUID = 1L;

  /** A batch is sent once it holds this many bytes, so no element grows without bound. */
  private static final long BATCH_BYTES = 8L << 20;

  private transient List<byte[]> batch;
  private transient long bytes;

  @StartBundle
  public void startBundle() {
    batch = new ArrayList<>();
    bytes = 0;
  }

  @ProcessElement
  public void processElement(@Element T record, OutputReceiver<List<byte[]>> out) {
    byte[] serialized = record.toByteArray();
    batch.add(serialized);
    bytes += serialized.length;
    if (bytes >= BATCH_BYTES) {
      out.output(batch);
      startBundle();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (!batch.isEmpty()) {
      context.output(batch, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
