package io.fairbeam.extract;

import org.apache.beam.sdk.annotations.Internal;

/**
 * One example as Fairbeam sees it, whatever the input format: the values of the features in a
 * {@link FeatureSet}, by slot. Reused from record to record.
 */
@Internal
public final class ExampleFeatures {
  private final FeatureSet features;
  private final FeatureValues[] values;

  ExampleFeatures(FeatureSet features) {
    this.features = features;
    this.values = new FeatureValues[features.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = new FeatureValues();
    }
  }

  public FeatureSet featureSet() {
    return features;
  }

  /** Marks every feature absent, before decoding the next record. */
  public void clear() {
    for (FeatureValues v : values) {
      v.clear();
    }
  }

  /** Makes the example independent of the buffer it was decoded from. */
  public void detach() {
    for (FeatureValues v : values) {
      v.detach();
    }
  }

  /** The values in {@code slot}. */
  public FeatureValues slot(int slot) {
    return values[slot];
  }
}
