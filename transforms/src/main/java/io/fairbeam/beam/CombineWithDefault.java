package io.fairbeam.beam;

import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * {@code Combine.globally}: one output, the combine's value of no input when the input is empty,
 * without the side input through which Beam inserts that default. On an empty input (a CSV file
 * with only its header) the Direct Runner has hung, rarely, with the default's step held back
 * waiting on that side input (quiescent, spinning in {@code WatermarkManager.extractFiredTimers});
 * here the combined value, if any, and the default meet under one key instead.
 */
final class CombineWithDefault<InputT, OutputT>
    extends PTransform<PCollection<InputT>, PCollection<OutputT>> {
  private static final long serialVersionUID = 1L;

  private final Combine.CombineFn<InputT, ?, OutputT> fn;
  private final Coder<OutputT> coder;

  private CombineWithDefault(Combine.CombineFn<InputT, ?, OutputT> fn, Coder<OutputT> coder) {
    this.fn = fn;
    this.coder = coder;
  }

  static <InputT, OutputT> CombineWithDefault<InputT, OutputT> of(
      Combine.CombineFn<InputT, ?, OutputT> fn, Coder<OutputT> coder) {
    return new CombineWithDefault<>(fn, coder);
  }

  @Override
  public PCollection<OutputT> expand(PCollection<InputT> input) {
    KvCoder<Boolean, OutputT> taggedCoder = KvCoder.of(BooleanCoder.of(), coder);
    PCollection<KV<Boolean, OutputT>> combined =
        input
            .apply("Combine", Combine.globally(fn).withoutDefaults())
            .setCoder(coder)
            .apply("Combined", WithKeys.of(true))
            .setCoder(taggedCoder);
    PCollection<KV<Boolean, OutputT>> fallback =
        input
            .getPipeline()
            .apply("Default", Create.of(KV.of(false, fn.defaultValue())).withCoder(taggedCoder));
    return PCollectionList.of(combined)
        .and(fallback)
        .apply("WithDefault", Flatten.pCollections())
        .apply("OneKey", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), taggedCoder))
        .apply("Meet", GroupByKey.create())
        .apply("Choose", ParDo.of(new ChooseFn<OutputT>()))
        .setCoder(coder);
  }

  /** The combined value when there is one, else the default. */
  private static final class ChooseFn<OutputT>
      extends DoFn<KV<Integer, Iterable<KV<Boolean, OutputT>>>, OutputT> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void processElement(
        @Element KV<Integer, Iterable<KV<Boolean, OutputT>>> values, OutputReceiver<OutputT> out) {
      OutputT chosen = null;
      for (KV<Boolean, OutputT> value : values.getValue()) {
        if (value.getKey() || chosen == null) {
          chosen = value.getValue();
        }
      }
      out.output(chosen);
    }
  }
}
