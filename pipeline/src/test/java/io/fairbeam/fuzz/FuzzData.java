package io.fairbeam.fuzz;

import com.google.protobuf.ByteString;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.proto.tf.BytesList;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tf.FloatList;
import io.fairbeam.proto.tf.Int64List;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * The undamaged data a fuzz case starts from: examples with a 0/1 label, a float score, a weight
 * and a group, encoded as TFRecord, CSV or Avro. Each example knows its values, so a case that
 * damages some records can say which of them a correct run evaluates (the oracle).
 */
final class FuzzData {
  /** The config every data case evaluates: weighted, Overall and by group, FI at 0.5. */
  static final String CONFIG =
      String.join(
          "\n",
          "model_specs { label_key: 'label' prediction_key: 'score' example_weight_key: 'weight' }",
          "metrics_specs {",
          "  metrics { class_name: 'ExampleCount' }",
          "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' }",
          "}",
          "slicing_specs {}",
          "slicing_specs { feature_keys: ['group'] }",
          "");

  /** One example: what a run that evaluates it must count. */
  record Row(long label, float score, float weight, String group) {}

  static final Schema AVRO_SCHEMA =
      SchemaBuilder.record("Example")
          .fields()
          .requiredLong("label")
          .requiredFloat("score")
          .requiredFloat("weight")
          .requiredString("group")
          .endRecord();

  private FuzzData() {}

  /** {@code n} examples drawn from {@code random}; some scores sit exactly on 0.5. */
  static List<Row> rows(SplittableRandom random, int n) {
    List<Row> rows = new ArrayList<>();
    float[] weights = {0.5f, 1f, 2f};
    String[] groups = {"a", "b", "c, with comma"};
    for (int i = 0; i < n; i++) {
      float score = random.nextInt(8) == 0 ? 0.5f : (float) random.nextDouble();
      rows.add(
          new Row(random.nextInt(2), score, weights[random.nextInt(3)], groups[random.nextInt(3)]));
    }
    return rows;
  }

  static Example example(Row row) {
    return Example.newBuilder()
        .setFeatures(
            Features.newBuilder()
                .putFeature("label", ints(row.label()))
                .putFeature("score", floats(row.score()))
                .putFeature("weight", floats(row.weight()))
                .putFeature("group", text(row.group())))
        .build();
  }

  static Feature ints(long value) {
    return Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(value)).build();
  }

  static Feature floats(float value) {
    return Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(value)).build();
  }

  static Feature text(String value) {
    return Feature.newBuilder()
        .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFromUtf8(value)))
        .build();
  }

  /** Serialized records framed as TFRecord. */
  static byte[] tfrecord(List<byte[]> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      for (byte[] record : records) {
        writer.write(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static List<byte[]> serialized(List<Row> rows) {
    List<byte[]> records = new ArrayList<>();
    for (Row row : rows) {
      records.add(example(row).toByteArray());
    }
    return records;
  }

  /** A TFRecord header claiming {@code length} bytes, with a valid length checksum. */
  static byte[] recordHeader(long length) {
    java.nio.ByteBuffer header =
        java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    header.putLong(length);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(header.array(), 0, 8);
    int value = (int) crc.getValue();
    header.putInt(((value >>> 15) | (value << 17)) + 0xa282ead8);
    return header.array();
  }

  /** A text-format EvalConfig as the {@code eval_config.json} TFMA writes. */
  static String evalRunJson(String configText) {
    try {
      return com.google.protobuf.util.JsonFormat.printer()
          .print(
              io.fairbeam.proto.tfma.EvalRun.newBuilder()
                  .setEvalConfig(
                      io.fairbeam.config.EvalConfigLoader.parse(configText, "config").config()));
    } catch (io.fairbeam.config.ConfigException
        | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The header line and one line per row, cells as Python's csv module writes them. */
  static List<String> csvLines(List<Row> rows) {
    List<String> lines = new ArrayList<>();
    lines.add("label,score,weight,group");
    for (Row row : rows) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s",
              row.label(),
              row.score(),
              row.weight(),
              csvCell(row.group())));
    }
    return lines;
  }

  static String csvCell(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\""
        : value;
  }

  /**
   * An Avro container with blocks of {@code perBlock} rows; {@code blockEnds} receives the byte
   * offset where the header and each block end.
   */
  static byte[] avro(List<Row> rows, int perBlock, List<Integer> blockEnds) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(AVRO_SCHEMA))) {
      writer.setSyncInterval(1 << 20);
      writer.create(AVRO_SCHEMA, bytes);
      writer.flush();
      blockEnds.add(bytes.size());
      for (int i = 0; i < rows.size(); i++) {
        GenericRecord record = new GenericData.Record(AVRO_SCHEMA);
        record.put("label", rows.get(i).label());
        record.put("score", rows.get(i).score());
        record.put("weight", rows.get(i).weight());
        record.put("group", rows.get(i).group());
        writer.append(record);
        if ((i + 1) % perBlock == 0 || i == rows.size() - 1) {
          writer.flush();
          blockEnds.add(bytes.size());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
