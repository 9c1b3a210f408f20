package io.fairbeam.eval;

import io.fairbeam.extract.AvroContainerCheck;
import io.fairbeam.extract.AvroExampleDecoder;
import io.fairbeam.extract.CsvExampleReader;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.MalformedRecordException;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.TFRecordCorruptionException;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.extract.TfExampleScanner;
import io.fairbeam.predict.ExampleBatch;
import io.fairbeam.predict.ModelException;
import io.fairbeam.predict.ModelFailedException;
import io.fairbeam.predict.ModelRunner;
import io.fairbeam.proto.BadRecord;
import io.fairbeam.util.ExceptionText;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads every record of one input file, decodes only the needed features, and feeds the example
 * to an {@link ExampleAggregator}: reading, extracting, predicting and pre-aggregating in one
 * pass, with no per-record object handed to the runner. When models run, examples are held in
 * batches of {@code inference_batch_size} (across the files of a bundle) and scored together;
 * {@link #finishBatch} scores the last, partial batch.
 *
 * <p>A TFRecord whose framing is damaged (truncated, length checksum) stops the file with an
 * error whatever the policy, since the records after it cannot be found; a record whose data
 * checksum fails or that is not a valid {@code tf.Example} goes to the bad-record policy.
 */
public final class FileEvaluator implements AutoCloseable {
  private static final int PROGRESS_EVERY = 1 << 14;

  private final RecordFormat format;
  private final CsvSchema csvSchema;
  private final BadRecordHandler badRecords;
  private final ExampleAggregator aggregator;
  private final ExampleFeatures example;
  private final TfExampleScanner scanner;
  private final AvroExampleDecoder avroDecoder;
  private final List<ModelRunner> runners = new ArrayList<>();
  private final ExampleBatch batch;
  private final double[][] predictions;
  private final Progress progress = new Progress();

  /**
   * {@code csvSchema} is required for CSV input and ignored otherwise; skipped records go to
   * {@code deadLetters} (null: they are only counted). When the plan runs models,
   * they are acquired here (shared with the other evaluators of this JVM) and released by {@link
   * #close}.
   *
   * @throws ModelFailedException if a model cannot be loaded
   */
  public FileEvaluator(EvalPlan plan, RecordFormat format, CsvSchema csvSchema,
      Consumer<BadRecord> deadLetters) {
    this.format = format;
    this.csvSchema = csvSchema;
    this.badRecords = new BadRecordHandler(plan.badRecordPolicy(), deadLetters);
    this.aggregator = new ExampleAggregator(plan, badRecords);
    this.example = plan.features().newExample();
    this.scanner = new TfExampleScanner(plan.features());
    this.avroDecoder = new AvroExampleDecoder(plan.features());
    if (format == RecordFormat.CSV && csvSchema == null) {
      throw new IllegalArgumentException("CSV input needs a CsvSchema");
    }
    if (plan.needsSerializedExamples() && format != RecordFormat.TFRECORD) {
      throw new IllegalArgumentException("a model takes serialized tf.Example records; its input"
          + " must be TFRecord, not " + format.tfmaName());
    }
    this.predictions = new double[plan.models().size()][];
    if (plan.hasInference()) {
      this.batch = new ExampleBatch(plan.features(), plan.inferenceBatchSize(),
          plan.needsSerializedExamples());
      try {
        for (ModelPlan model : plan.models()) {
          if (model.inference() != null) {
            runners.add(new ModelRunner(model, plan.features()));
            predictions[model.index()] = new double[plan.inferenceBatchSize()];
          }
        }
      } catch (ModelException e) {
        close();
        throw new ModelFailedException(e.getMessage(), e);
      }
    } else {
      this.batch = null;
    }
  }

  /** Releases the models this evaluator holds. */
  @Override
  public void close() {
    for (ModelRunner runner : runners) {
      runner.close();
    }
    runners.clear();
  }

  /** Where the next record is decoded: the next batch slot when models run, else one example. */
  private ExampleFeatures target() {
    return batch == null ? example : batch.next();
  }

  /**
   * Evaluates the record just decoded into {@link #target()}: at once, or, when models run, once
   * its batch is full ({@code buffer} holds the serialized record when a model needs it).
   */
  private void accept(String fileName, long recordIndex, byte[] buffer, int length) {
    if (batch == null) {
      aggregator.add(example, fileName, recordIndex);
      progress.tick();
      return;
    }
    for (ModelRunner runner : runners) {
      ModelRunner.InputProblem problem = runner.problemWith(batch.next());
      if (problem != null) {
        aggregator.unusable(problem.reason(), fileName, recordIndex, problem.detail());
        return;
      }
    }
    batch.commit(fileName, recordIndex, buffer, length);
    if (batch.isFull()) {
      evaluateBatch();
    }
  }

  /**
   * Scores and evaluates the examples still held for a batch. Batches span files, so call this
   * at the end of each bundle, before draining the aggregator.
   */
  public void finishBatch() {
    evaluateBatch();
    progress.flush();
  }

  /** Runs the models over the held batch and evaluates its examples. */
  private void evaluateBatch() {
    if (batch == null || batch.size() == 0) {
      return;
    }
    for (ModelRunner runner : runners) {
      runner.predict(batch, predictions[runner.model().index()]);
    }
    for (int row = 0; row < batch.size(); row++) {
      aggregator.add(batch.example(row), predictions, row, batch.fileName(row),
          batch.recordIndex(row));
      progress.tick();
    }
    batch.clear();
  }

  public ExampleAggregator aggregator() {
    return aggregator;
  }

  /**
   * Evaluates one serialized {@code tf.Example} given without a file: {@code source} and {@code
   * recordIndex} name it in messages.
   */
  public void evaluateRecord(byte[] record, String source, long recordIndex) {
    badRecords.current(batch == null ? record : null);
    try {
      try {
        scanner.scan(record, record.length, target());
      } catch (MalformedRecordException e) {
        aggregator.undecodable(source, recordIndex, e.getMessage());
        return;
      }
      accept(source, recordIndex, record, record.length);
    } finally {
      badRecords.current(null);
    }
  }

  /** Evaluates all records of {@code in}; {@code fileName} names the file in messages. */
  public void evaluate(InputStream in, String fileName) throws IOException {
    switch (format) {
      case TFRECORD -> evaluateTfRecord(in, fileName);
      case CSV -> evaluateCsv(in, fileName);
      case AVRO -> evaluateAvro(in, fileName);
    }
  }

  /** Counts records and passes them to the {@link ProgressMeter} in batches. */
  private static final class Progress {
    private long sinceReport;

    void tick() {
      if (++sinceReport == PROGRESS_EVERY) {
        flush();
      }
    }

    void flush() {
      ProgressMeter.add(sinceReport);
      sinceReport = 0;
    }
  }

  private void evaluateTfRecord(InputStream in, String fileName) throws IOException {
    try (TFRecordReader reader = TFRecordReader.open(in, fileName)) {
      while (true) {
        int length;
        try {
          length = reader.next();
        } catch (TFRecordCorruptionException e) {
          if (!e.recoverable()) {
            throw e;
          }
          aggregator.undecodable(fileName, reader.recordIndex(), e.detail());
          continue;
        }
        if (length < 0) {
          break;
        }
        try {
          scanner.scan(reader.buffer(), length, target());
        } catch (MalformedRecordException e) {
          aggregator.undecodable(fileName, reader.recordIndex(), e.getMessage());
          continue;
        }
        accept(fileName, reader.recordIndex(), reader.buffer(), length);
      }
    }
    progress.flush();
  }

  private void evaluateCsv(InputStream in, String fileName) throws IOException {
    try (CsvExampleReader reader = new CsvExampleReader(in, fileName, csvSchema,
        example.featureSet())) {
      while (true) {
        try {
          if (!reader.next(target())) {
            break;
          }
        } catch (MalformedRecordException e) {
          aggregator.undecodable(fileName, reader.recordIndex(), e.getMessage());
          continue;
        }
        accept(fileName, reader.recordIndex(), null, 0);
      }
    }
    progress.flush();
  }

  /**
   * Reads an Avro container through an {@link AvroContainerCheck}, so a file cut inside a block
   * or a damaged block is an error naming the block, never a quiet end of the file. A block Avro
   * cannot decode stops the file under either policy: the records after the damage cannot be
   * found.
   */
  private void evaluateAvro(InputStream in, String fileName) throws IOException {
    long index = -1;
    AvroContainerCheck framing = new AvroContainerCheck(in);
    try (DataFileStream<GenericRecord> reader = openAvro(framing, fileName)) {
      GenericRecord record = null;
      while (true) {
        try {
          if (!reader.hasNext()) {
            break;
          }
          record = reader.next(record);
        } catch (RuntimeException e) {
          if (framing.failure() != null) {
            throw new IOException(fileName + ": " + framing.failure().getMessage(), e);
          }
          throw new IOException(fileName + ": record " + (index + 1) + " (block "
              + framing.blockIndex() + "): unreadable Avro data: " + ExceptionText.describe(ExceptionText.root(e)), e);
        }
        index++;
        try {
          avroDecoder.decode(record, target());
        } catch (MalformedRecordException e) {
          aggregator.undecodable(fileName, index, e.getMessage());
          continue;
        }
        accept(fileName, index, null, 0);
      }
      framing.finish();
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(fileName)) {
        throw e;
      }
      if (framing.failure() != null) {
        throw new IOException(fileName + ": " + framing.failure().getMessage(), e);
      }
      throw new IOException(fileName + ": not a readable Avro data file: " + ExceptionText.describe(ExceptionText.root(e)), e);
    }
    progress.flush();
  }

  /** Reads an Avro header; a damaged one (its schema, say) is an error naming the file. */
  private static DataFileStream<GenericRecord> openAvro(AvroContainerCheck framing,
      String fileName) throws IOException {
    try {
      return new DataFileStream<>(framing, new GenericDatumReader<>());
    } catch (RuntimeException e) {
      throw new IOException(fileName + ": not a readable Avro data file (damaged header): "
          + ExceptionText.describe(ExceptionText.root(e)), e);
    }
  }
}
