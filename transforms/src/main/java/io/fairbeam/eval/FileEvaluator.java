package io.fairbeam.eval;

import io.fairbeam.extract.AvroExampleDecoder;
import io.fairbeam.extract.CsvExampleReader;
import io.fairbeam.extract.CsvSchema;
import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.MalformedRecordException;
import io.fairbeam.extract.RecordFormat;
import io.fairbeam.extract.TFRecordCorruptionException;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.extract.TfExampleScanner;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads every record of one input file, decodes only the needed features, and feeds the example
 * to an {@link ExampleAggregator}: reading, extracting and pre-aggregating in one pass, with no
 * per-record object handed to the runner.
 *
 * <p>A TFRecord whose framing is damaged (truncated, length checksum) stops the file with an
 * error whatever the policy, since the records after it cannot be found; a record whose data
 * checksum fails or that is not a valid {@code tf.Example} goes to the bad-record policy.
 */
public final class FileEvaluator {
  private static final int PROGRESS_EVERY = 1 << 14;

  private final RecordFormat format;
  private final CsvSchema csvSchema;
  private final ExampleAggregator aggregator;
  private final ExampleFeatures example;
  private final TfExampleScanner scanner;
  private final AvroExampleDecoder avroDecoder;

  /** {@code csvSchema} is required for CSV input and ignored otherwise. */
  public FileEvaluator(EvalPlan plan, RecordFormat format, CsvSchema csvSchema) {
    this.format = format;
    this.csvSchema = csvSchema;
    this.aggregator = new ExampleAggregator(plan);
    this.example = plan.features().newExample();
    this.scanner = new TfExampleScanner(plan.features());
    this.avroDecoder = new AvroExampleDecoder(plan.features());
    if (format == RecordFormat.CSV && csvSchema == null) {
      throw new IllegalArgumentException("CSV input needs a CsvSchema");
    }
  }

  public ExampleAggregator aggregator() {
    return aggregator;
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
    Progress progress = new Progress();
    try (TFRecordReader reader = TFRecordReader.open(in, fileName)) {
      while (true) {
        int length;
        try {
          length = reader.next();
        } catch (TFRecordCorruptionException e) {
          if (!e.recoverable()) {
            throw e;
          }
          aggregator.undecodable(fileName, reader.recordIndex(), e.getMessage());
          continue;
        }
        if (length < 0) {
          break;
        }
        try {
          scanner.scan(reader.buffer(), length, example);
        } catch (MalformedRecordException e) {
          aggregator.undecodable(fileName, reader.recordIndex(), e.getMessage());
          continue;
        }
        aggregator.add(example, fileName, reader.recordIndex());
        progress.tick();
      }
    }
    progress.flush();
  }

  private void evaluateCsv(InputStream in, String fileName) throws IOException {
    Progress progress = new Progress();
    try (CsvExampleReader reader = new CsvExampleReader(in, fileName, csvSchema,
        example.featureSet())) {
      while (true) {
        try {
          if (!reader.next(example)) {
            break;
          }
        } catch (MalformedRecordException e) {
          aggregator.undecodable(fileName, reader.recordIndex(), e.getMessage());
          continue;
        }
        aggregator.add(example, fileName, reader.recordIndex());
        progress.tick();
      }
    }
    progress.flush();
  }

  private void evaluateAvro(InputStream in, String fileName) throws IOException {
    Progress progress = new Progress();
    long index = -1;
    try (DataFileStream<GenericRecord> reader =
        new DataFileStream<>(in, new GenericDatumReader<>())) {
      GenericRecord record = null;
      while (reader.hasNext()) {
        index++;
        try {
          record = reader.next(record);
        } catch (RuntimeException e) {
          throw new IOException(fileName + ": record " + index + ": unreadable Avro data: "
              + e.getMessage(), e);
        }
        try {
          avroDecoder.decode(record, example);
        } catch (MalformedRecordException e) {
          aggregator.undecodable(fileName, index, e.getMessage());
          continue;
        }
        aggregator.add(example, fileName, index);
        progress.tick();
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(fileName)) {
        throw e;
      }
      throw new IOException(fileName + ": not a readable Avro data file: " + e.getMessage(), e);
    }
    progress.flush();
  }
}
