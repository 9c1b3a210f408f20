package io.fairbeam.eval;

import io.fairbeam.constraint.ConstraintSums;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.annotations.Internal;

/**
 * Mergeable counts about a run's input: records read, examples evaluated, and records left out by
 * reason under {@code --bad-records=skip}. Every record read is either evaluated or counted under a
 * reason, so nothing is lost silently.
 */
@Internal
public final class RunCounts implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private long recordsRead;
  private long examplesEvaluated;
  private long filesReadInRanges;
  private long compressedFilesReadWhole;
  private final TreeMap<String, Long> skipped = new TreeMap<>();
  private final TreeMap<String, Long> slicingFeatureExamples = new TreeMap<>();
  private final ConstraintSums constraintSums = new ConstraintSums();

  public void recordRead() {
    recordsRead++;
  }

  public void exampleEvaluated() {
    examplesEvaluated++;
  }

  /** Counts a file read in ranges by several readers (once, by the range that starts at 0). */
  public void fileReadInRanges() {
    filesReadInRanges++;
  }

  /** Counts a GZIP file, which is read whole by one reader. */
  public void compressedFileReadWhole() {
    compressedFilesReadWhole++;
  }

  public long filesReadInRanges() {
    return filesReadInRanges;
  }

  public long compressedFilesReadWhole() {
    return compressedFilesReadWhole;
  }

  public void skipped(String reason) {
    skipped.merge(reason, 1L, Long::sum);
  }

  /** Counts {@code examples} evaluated examples that have the slicing feature {@code name}. */
  public void slicingFeaturePresent(String name, long examples) {
    slicingFeatureExamples.merge(name, examples, Long::sum);
  }

  /** Evaluated examples per slicing feature, for the features counted. */
  public Map<String, Long> slicingFeatureExamples() {
    return java.util.Collections.unmodifiableMap(slicingFeatureExamples);
  }

  public long recordsRead() {
    return recordsRead;
  }

  public long examplesEvaluated() {
    return examplesEvaluated;
  }

  /** Records left out, by reason, sorted by reason. */
  public Map<String, Long> skippedByReason() {
    return java.util.Collections.unmodifiableMap(skipped);
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The sums of the fairness constraints' populations over the examples counted here. */
  public ConstraintSums constraintSums() {
    return constraintSums;
  }

  public boolean isEmpty() {
    return recordsRead == 0
        && examplesEvaluated == 0
        && skipped.isEmpty()
        && filesReadInRanges == 0
        && compressedFilesReadWhole == 0;
  }

  public void merge(RunCounts other) {
    recordsRead += other.recordsRead;
    examplesEvaluated += other.examplesEvaluated;
    filesReadInRanges += other.filesReadInRanges;
    compressedFilesReadWhole += other.compressedFilesReadWhole;
    other.skipped.forEach((reason, count) -> skipped.merge(reason, count, Long::sum));
    other.slicingFeatureExamples.forEach(this::slicingFeaturePresent);
    constraintSums.merge(other.constraintSums);
  }

  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(recordsRead);
    out.writeLong(examplesEvaluated);
    out.writeLong(filesReadInRanges);
    out.writeLong(compressedFilesReadWhole);
    out.writeInt(skipped.size());
    for (Map.Entry<String, Long> e : skipped.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
    out.writeInt(slicingFeatureExamples.size());
    for (Map.Entry<String, Long> e : slicingFeatureExamples.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
    constraintSums.writeTo(out);
  }

  public static RunCounts readFrom(DataInput in) throws IOException {
    RunCounts counts = new RunCounts();
    counts.recordsRead = in.readLong();
    counts.examplesEvaluated = in.readLong();
    counts.filesReadInRanges = in.readLong();
    counts.compressedFilesReadWhole = in.readLong();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      counts.skipped.put(in.readUTF(), in.readLong());
    }
    n = in.readInt();
    for (int i = 0; i < n; i++) {
      counts.slicingFeatureExamples.put(in.readUTF(), in.readLong());
    }
    counts.constraintSums.merge(ConstraintSums.readFrom(in));
    return counts;
  }

  /** The counts as a {@code RunSummary} proto (written as {@code fairbeam_run.json}). */
  public io.fairbeam.proto.RunSummary toProto() {
    return io.fairbeam.proto.RunSummary.newBuilder()
        .setRecordsRead(recordsRead)
        .setExamplesEvaluated(examplesEvaluated)
        .setRecordsSkipped(skippedTotal())
        .putAllRecordsSkippedByReason(skipped)
        .putAllSlicingFeatureExamples(slicingFeatureExamples)
        .setFilesReadInRanges(filesReadInRanges)
        .setCompressedFilesReadWhole(compressedFilesReadWhole)
        .build();
  }
}
