package io.fairbeam.extract;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Each format's {@link RecordSource} alone, through a sink that records what it is given: the
 * decoded values of each record with its index, undecodable records reported with theirs, and
 * damage that hides later records raised as an error naming the file.
 */
public class RecordSourceTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static final FeatureSet FEATURES = FeatureSet.of(List.of("y", "g"));

  /** Records every call: "accept 0 y=1.0 g=a", "undecodable 1: ...". */
  private static final class RecordingSink implements RecordSink {
    final ExampleFeatures example = FEATURES.newExample();
    final List<String> calls = new ArrayList<>();

    @Override
    public ExampleFeatures target() {
      return example;
    }

    @Override
    public void accept(
        String file,
        long recordIndex,
        long byteOffset,
        long recordInBlock,
        byte[] buffer,
        int length) {
      FeatureValues y = example.slot(0);
      FeatureValues g = example.slot(1);
      calls.add(
          file
              + " accept "
              + recordIndex
              + " y="
              + (y.present() ? y.numberAt(0) : "-")
              + " g="
              + (g.present() ? g.textAt(0) : "-"));
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
      calls.add(file + " undecodable " + recordIndex);
    }
  }

  @Test
  public void tfRecordReportsUndecodableRecordsAndGoesOn() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      writer.write(example("y", ints(1), "g", text("a")).toByteArray());
      writer.write(new byte[] {10, 99, 1});
      writer.write(example("y", floats(0.5f)).toByteArray());
    }
    RecordingSink sink = new RecordingSink();
    RecordSource.of(RecordFormat.TFRECORD, FEATURES, null)
        .read(new ByteArrayInputStream(bytes.toByteArray()), "f", sink);
    assertEquals(
        List.of("f accept 0 y=1.0 g=a", "f undecodable 1", "f accept 2 y=0.5 g=-"), sink.calls);
  }

  @Test
  public void tfRecordCutInsideARecordIsAnErrorNamingTheFile() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      writer.write(example("y", ints(1)).toByteArray());
      writer.write(example("y", ints(0)).toByteArray());
    }
    byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
    RecordingSink sink = new RecordingSink();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                RecordSource.of(RecordFormat.TFRECORD, FEATURES, null)
                    .read(new ByteArrayInputStream(cut), "cut.tfrecord", sink));
    assertThat(e.getMessage(), containsString("cut.tfrecord"));
    assertEquals(List.of("cut.tfrecord accept 0 y=1.0 g=-"), sink.calls);
  }

  @Test
  public void csvTypesCellsByTheSchema() throws IOException {
    Path file = temp.newFile("d.csv").toPath();
    Files.writeString(file, "y,g\n1,a\n0,\"c\"\nx,b\n", StandardCharsets.UTF_8);
    CsvSchema schema =
        CsvSchema.infer(
            List.of(CsvSchema.Source.of(file)), FEATURES.names(), java.util.Set.of("y"));
    RecordingSink sink = new RecordingSink();
    try (var in = Files.newInputStream(file)) {
      RecordSource.of(RecordFormat.CSV, FEATURES, schema).read(in, "d.csv", sink);
    }
    // A text cell in a numeric column is kept as text: the validator names it as not numeric.
    assertEquals(
        List.of("d.csv accept 0 y=1.0 g=a", "d.csv accept 1 y=0.0 g=c", "d.csv accept 2 y=NaN g=b"),
        sink.calls);
    assertEquals(FeatureKind.BYTES, sink.example.slot(0).kind());
  }

  @Test
  public void avroRecordsAreNumberedFromZero() throws IOException {
    Schema schema =
        SchemaBuilder.record("R").fields().requiredLong("y").requiredString("g").endRecord();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.create(schema, bytes);
      for (int i = 0; i < 2; i++) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("y", (long) i);
        record.put("g", "v" + i);
        writer.append(record);
      }
    }
    RecordingSink sink = new RecordingSink();
    RecordSource.of(RecordFormat.AVRO, FEATURES, null)
        .read(new ByteArrayInputStream(bytes.toByteArray()), "r.avro", sink);
    assertEquals(List.of("r.avro accept 0 y=0.0 g=v0", "r.avro accept 1 y=1.0 g=v1"), sink.calls);
  }
}
