package io.fairbeam.eval;

import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureValues;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.RecordSink;
import io.fairbeam.extract.RecordSource;
import io.fairbeam.extract.TfRecordSource;
import io.fairbeam.metrics.ModelAccumulators;
import io.fairbeam.metrics.SampleAssignment;
import io.fairbeam.metrics.SampleWeights;
import io.fairbeam.predict.BatchScorer;
import io.fairbeam.predict.Inference;
import io.fairbeam.predict.ModelFailedException;
import io.fairbeam.predict.ModelRunner;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.slice.SliceKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The fused per-record path, composed from its parts: a {@link RecordSource} reads and decodes each
 * record of a file, a {@link BatchScorer} scores it when models run, an {@link ExampleValidator}
 * checks its label, score and weight, a {@link BadRecordHandler} fails or counts the records that
 * cannot be used, and a {@link SliceAggregator} adds the others to their slices' accumulators. No
 * per-record object is handed to the runner.
 *
 * <p>When models run, examples are held in batches of {@code inference_batch_size} (across the
 * files of a bundle) and scored together; {@link #finishBatch} scores the last, partial batch.
 */
@Internal
public final class RecordEvaluator implements RecordSink, AutoCloseable {
  private final RecordSource source;

  /** Decodes records given without a file: the TFRecord source itself for TFRecord input. */
  private final TfRecordSource recordDecoder;

  private final ExampleFeatures example;
  private final BatchScorer scorer;
  private final ExampleValidator validator;
  private final BadRecordHandler badRecords;
  private final SliceAggregator aggregator;

  /** Feeds the fairness constraints' sums; null when the config has none. */
  private final ConstraintAggregator constraints;

  private RunCounts counts = new RunCounts();

  /** Assigns records to confidence-interval samples; null without intervals. */
  private final SampleAssignment assignment;

  private String lastSource;
  private long lastSourceHash;

  /** The slot of the example id feature that keys resampling; -1 when records are keyed by file. */
  private final int exampleIdSlot;

  /** Its name, for messages. */
  private final String exampleIdKey;

  /** The example the source decodes the current record into ({@link #target}). */
  private ExampleFeatures decoded;

  /** The content hash of the record {@link #evaluateRecord} is evaluating. */
  private long recordContentHash;

  /** The accumulator rows the example being evaluated is added to. */
  private final SampleWeights weights;

  /** The sample hash of each example held in the scorer's batch, by row. */
  private final long[] batchHashes;

  /**
   * An evaluator of {@code format} input under {@code plan}; {@code csvSchema} is required for CSV
   * and ignored otherwise; skipped records go to {@code deadLetters} (null: they are only counted).
   * When the plan runs models, they are acquired here (shared with the other evaluators of this
   * JVM) and released by {@link #close}.
   *
   * @throws ModelFailedException if a model cannot be loaded
   */
  public RecordEvaluator(
      EvalPlan plan, RecordFormat format, CsvSchema csvSchema, Consumer<BadRecord> deadLetters) {
    if (plan.needsSerializedExamples() && format != RecordFormat.TFRECORD) {
      throw new IllegalArgumentException(
          "a model takes serialized tf.Example records; its input"
              + " must be TFRecord, not "
              + format.tfmaName());
    }
    this.source = RecordSource.of(format, plan.features(), csvSchema);
    this.recordDecoder =
        source instanceof TfRecordSource tfRecords
            ? tfRecords
            : new TfRecordSource(plan.features());
    this.example = plan.features().newExample();
    this.validator = new ExampleValidator(plan);
    this.badRecords = new BadRecordHandler(plan.badRecordPolicy(), deadLetters);
    this.aggregator = new SliceAggregator(plan);
    this.constraints = plan.constraints().isEmpty() ? null : new ConstraintAggregator(plan);
    ConfidenceIntervals intervals = plan.confidenceIntervals();
    this.assignment =
        intervals == null ? null : new SampleAssignment(intervals.seed(), plan.resampling());
    this.exampleIdKey = intervals == null ? "" : intervals.exampleIdKey();
    this.exampleIdSlot = exampleIdKey.isEmpty() ? -1 : plan.features().slotOf(exampleIdKey);
    this.weights =
        intervals == null
            ? SampleWeights.pointEstimateOnly()
            : new SampleWeights(plan.resampling().rows() + 1);
    if (plan.hasInference()) {
      List<Inference> inferences = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (ModelPlan model : plan.models()) {
        inferences.add(model.inference());
        // A SavedModel is run once for all its outputs: its inputs are the spec's.
        names.add(model.describeSpec());
      }
      this.scorer = new BatchScorer(inferences, names, plan.features());
      this.batchHashes = new long[scorer.capacity()];
    } else {
      this.scorer = null;
      this.batchHashes = null;
    }
  }

  /** Evaluates all records of {@code in}; {@code fileName} names the file in messages. */
  public void evaluate(InputStream in, String fileName) throws IOException {
    source.read(in, fileName, this);
  }

  /**
   * Evaluates the records of the file open as {@code channel} that start in {@code [start, end)}
   * (see {@link RecordSource#readRange}); {@code fileName} names the file in messages.
   */
  public void evaluateRange(SeekableByteChannel channel, String fileName, long start, long end)
      throws IOException {
    source.readRange(channel, fileName, start, end, this);
  }

  /**
   * Evaluates one serialized {@code tf.Example} given without a file: {@code source} and {@code
   * recordIndex} name it in messages.
   */
  public void evaluateRecord(byte[] record, String source, long recordIndex) {
    if (assignment != null) {
      recordContentHash = SampleAssignment.fnv1a64(record);
    }
    recordDecoder.decode(record, source, recordIndex, this);
  }

  @Override
  public ExampleFeatures target() {
    decoded = scorer == null ? example : scorer.next();
    return decoded;
  }

  /**
   * Evaluates the record just decoded into {@link #target()}: at once, or, when models run, once
   * its batch is full.
   */
  @Override
  public void accept(
      String file,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      byte[] buffer,
      int length) {
    badRecords.current(buffer, length);
    long hash;
    if (exampleIdSlot >= 0) {
      FeatureValues id = decoded.slot(exampleIdSlot);
      if (!id.present() || id.count() != 1) {
        String field = "field '" + exampleIdKey + "' (example_id_key)";
        boolean missing = !id.present() || id.count() == 0;
        reject(
            "example id '" + exampleIdKey + "' " + (missing ? "missing" : "has several values"),
            file,
            recordIndex,
            byteOffset,
            recordInBlock,
            missing ? field + " is missing" : field + " has " + id.count() + " values, expected 1");
        return;
      }
      // The id's text: the same for "17" read from CSV and 17 from a tf.Example.
      long idHash = SampleAssignment.fnv1a64(id.textAt(0).getBytes(StandardCharsets.UTF_8));
      hash = assignment.recordHash(idHash, 0);
    } else {
      hash = sampleHash(file, samplePosition(recordIndex, byteOffset, recordInBlock));
    }
    if (scorer == null) {
      evaluate(example, null, 0, file, recordIndex, byteOffset, recordInBlock, hash);
      return;
    }
    ModelRunner.InputProblem problem =
        scorer.add(file, recordIndex, byteOffset, recordInBlock, buffer, length);
    if (problem != null) {
      reject(problem.reason(), file, recordIndex, byteOffset, recordInBlock, problem.detail());
      return;
    }
    batchHashes[scorer.size() - 1] = hash;
    if (scorer.isFull()) {
      evaluateBatch();
    }
  }

  @Override
  public void undecodable(
      String file,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      byte[] buffer,
      int length,
      String detail) {
    badRecords.current(buffer, length);
    reject("undecodable record", file, recordIndex, byteOffset, recordInBlock, detail);
  }

  /**
   * Where a record is in its file, for {@link #sampleHash}: its byte offset where the format gives
   * one (TFRecord, CSV), its block's offset mixed with its index in the block (Avro), else its
   * index; so a file read in ranges assigns each record as a file read whole does.
   */
  private static long samplePosition(long recordIndex, long byteOffset, long recordInBlock) {
    if (recordInBlock >= 0) {
      // An odd multiplier is a bijection of the offsets; adding the index in the block keeps
      // records of different blocks apart unless a block holds about 2^61 records.
      return byteOffset * 0x9E3779B97F4A7C15L + recordInBlock;
    }
    return byteOffset >= 0 ? byteOffset : recordIndex;
  }

  /**
   * The hash that assigns the record at {@code position} of {@code file} ({@link #samplePosition})
   * to confidence-interval samples (0 without intervals): of the file's name and the position, or,
   * for a record given without a file, of its content.
   */
  private long sampleHash(String file, long position) {
    if (assignment == null) {
      return 0;
    }
    if (BadRecordHandler.PCOLLECTION_SOURCE.equals(file)) {
      return assignment.recordHash(recordContentHash, 0);
    }
    if (!file.equals(lastSource)) {
      lastSource = file;
      lastSourceHash = SampleAssignment.sourceHash(file);
    }
    return assignment.recordHash(lastSourceHash, position);
  }

  private void evaluate(
      ExampleFeatures decoded,
      double[][] scores,
      int row,
      String file,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      long sampleHash) {
    ExampleValidator.Rejection rejection = validator.check(decoded, scores, row);
    if (rejection != null) {
      reject(rejection.reason(), file, recordIndex, byteOffset, recordInBlock, rejection.detail());
      return;
    }
    counts.recordRead();
    counts.exampleEvaluated();
    if (assignment != null) {
      assignment.weigh(sampleHash, weights);
    }
    aggregator.add(decoded, validator, weights);
    if (constraints != null) {
      constraints.add(decoded, validator, counts.constraintSums());
    }
  }

  /** A record read but not evaluated: fails the run, or is counted under {@code reason}. */
  private void reject(
      String reason,
      String file,
      long recordIndex,
      long byteOffset,
      long recordInBlock,
      String detail) {
    badRecords.reject(reason, file, recordIndex, byteOffset, recordInBlock, detail);
    counts.recordRead();
    counts.skipped(reason);
  }

  /**
   * Scores and evaluates the examples still held for a batch. Batches span files, so call this at
   * the end of each bundle, before {@link #drain}.
   */
  public void finishBatch() {
    evaluateBatch();
  }

  private void evaluateBatch() {
    if (scorer == null || scorer.size() == 0) {
      return;
    }
    scorer.score();
    badRecords.current(null, 0);
    for (int row = 0; row < scorer.size(); row++) {
      evaluate(
          scorer.example(row),
          scorer.scores(),
          row,
          scorer.fileName(row),
          scorer.recordIndex(row),
          scorer.byteOffset(row),
          scorer.recordInBlock(row),
          batchHashes[row]);
    }
    scorer.clear();
  }

  /** Counts a file read in ranges (by the reader of its first range). */
  public void countFileReadInRanges() {
    counts.fileReadInRanges();
  }

  /** Counts a GZIP file read whole, which no reader could share. */
  public void countCompressedFileReadWhole() {
    counts.compressedFileReadWhole();
  }

  /** Records read (evaluated or skipped) since the last {@link #drain}. */
  public long recordsRead() {
    return counts.recordsRead();
  }

  /** The accumulators and counts gathered since the last call; starts afresh. */
  public Drained drain() {
    RunCounts drainedCounts = counts;
    counts = new RunCounts();
    return new Drained(aggregator.drain(drainedCounts), drainedCounts);
  }

  /** What {@link #drain()} returns: per-slice accumulators and the records' counts. */
  public record Drained(Map<SliceKey, ModelAccumulators> slices, RunCounts counts) {}

  /** Releases the models this evaluator holds. */
  @Override
  public void close() {
    if (scorer != null) {
      scorer.close();
    }
  }
}
