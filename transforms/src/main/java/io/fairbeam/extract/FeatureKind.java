package io.fairbeam.extract;

import org.apache.beam.sdk.annotations.Internal;

/** The three value types of a {@code tf.train.Feature}; every input format maps onto them. */
@Internal
public enum FeatureKind {
  BYTES,
  FLOAT,
  INT64
}
