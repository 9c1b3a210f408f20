package io.fairbeam.beam;

import io.fairbeam.proto.BadRecord;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The dead-letter output of an evaluating DoFn, as the plain-Java {@link
 * io.fairbeam.eval.BadRecordHandler} sees it: a consumer that writes to whichever of the DoFn's
 * outputs is current (the element's receiver while an element is processed, the bundle's context
 * while the bundle finishes and its last model batch is scored).
 */
final class DeadLetters implements Consumer<BadRecord> {
  private final TupleTag<BadRecord> tag;
  private Consumer<BadRecord> current;

  DeadLetters(TupleTag<BadRecord> tag) {
    this.tag = tag;
  }

  void to(DoFn.MultiOutputReceiver out) {
    current = out.get(tag)::output;
  }

  void to(DoFn<?, ?>.FinishBundleContext context) {
    current =
        record ->
            context.output(tag, record, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
  }

  @Override
  public void accept(BadRecord record) {
    current.accept(record);
  }
}
