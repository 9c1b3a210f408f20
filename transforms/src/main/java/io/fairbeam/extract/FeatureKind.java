package io.fairbeam.extract;

/** The three value types of a {@code tf.train.Feature}; every input format maps onto them. */
public enum FeatureKind {
  BYTES,
  FLOAT,
  INT64
}
