package io.fairbeam.predict;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureSet;
import java.util.Arrays;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Examples read and held until there are enough for one inference call: their decoded features,
 * their serialized records when a model takes {@code tf.Example}s, and where each came from. Reused
 * from batch to batch.
 */
@Internal
public final class ExampleBatch {
  private final ExampleFeatures[] examples;
  private final byte[][] records;
  private final long[] recordIndexes;
  private final long[] byteOffsets;
  private final long[] recordsInBlock;
  private final String[] fileNames;
  private int size;

  /** A batch of at most {@code capacity} examples of {@code features}. */
  public ExampleBatch(FeatureSet features, int capacity, boolean keepRecords) {
    this.examples = new ExampleFeatures[capacity];
    for (int i = 0; i < capacity; i++) {
      examples[i] = features.newExample();
    }
    this.records = keepRecords ? new byte[capacity][] : null;
    this.recordIndexes = new long[capacity];
    this.byteOffsets = new long[capacity];
    this.recordsInBlock = new long[capacity];
    this.fileNames = new String[capacity];
  }

  /** The most examples the batch holds. */
  public int capacity() {
    return examples.length;
  }

  public int size() {
    return size;
  }

  public boolean isFull() {
    return size == examples.length;
  }

  /** The example the next {@link #commit} adds; decode into it first. */
  public ExampleFeatures next() {
    return examples[size];
  }

  /**
   * Adds the example decoded into {@link #next()}, with its serialized record if kept. Its bytes
   * values are copied, since the buffer they were decoded from is reused by the next record. The
   * index and offsets name the record as in {@link io.fairbeam.extract.RecordSink#accept}.
   */
  public void commit(
      String fileName,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      byte[] buffer,
      int length) {
    examples[size].detach();
    if (records != null) {
      records[size] = Arrays.copyOf(buffer, length);
    }
    recordIndexes[size] = recordIndex;
    byteOffsets[size] = byteOffset;
    recordsInBlock[size] = recordInBlock;
    fileNames[size] = fileName;
    size++;
  }

  public ExampleFeatures example(int row) {
    return examples[row];
  }

  /** The serialized record of {@code row} (only when records are kept). */
  public byte[] record(int row) {
    return records[row];
  }

  /** The file {@code row} was read from. */
  public String fileName(int row) {
    return fileNames[row];
  }

  public long recordIndex(int row) {
    return recordIndexes[row];
  }

  public long byteOffset(int row) {
    return byteOffsets[row];
  }

  public long recordInBlock(int row) {
    return recordsInBlock[row];
  }

  public void clear() {
    if (records != null) {
      Arrays.fill(records, 0, size, null);
    }
    size = 0;
  }
}
