package io.fairbeam.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro data of {@code scripts/bench-single-file}: the {@link SliceScaleData} CSV rows as
 * deflated Avro records (label int, scores float, sex string, the zip columns long), one Avro shard
 * per CSV shard and all of them, in the same order, in one file, so the two inputs hold exactly the
 * same records.
 *
 * <p>Usage: {@code AvroData CSV_SHARD_DIR OUT_DIR}; kept, like the other bench data, for the next
 * run.
 */
public final class AvroData {
  private AvroData() {}

  public static void main(String[] args) throws Exception {
    Path csvDir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Path done = out.resolve("_DONE");
    if (ShardedData.alreadyWritten(out, done)) {
      return;
    }
    List<Path> csvShards = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(csvDir, "part-*.csv")) {
      files.forEach(csvShards::add);
    }
    csvShards.sort(null);
    Path shardDir = out.resolve("shards");
    Files.createDirectories(shardDir);
    long started = System.nanoTime();
    Schema schema;
    try (BufferedReader first = Files.newBufferedReader(csvShards.get(0))) {
      schema = schema(first.readLine().split(","));
    }
    long rows = 0;
    try (DataFileWriter<GenericRecord> single = writer(schema, out.resolve("all.avro"))) {
      for (Path csv : csvShards) {
        String shardName = csv.getFileName().toString().replace(".csv", ".avro");
        try (DataFileWriter<GenericRecord> shard = writer(schema, shardDir.resolve(shardName));
            BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
          in.readLine();
          GenericRecord record = new GenericData.Record(schema);
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            fill(record, line.split(","));
            shard.append(record);
            single.append(record);
            rows++;
          }
        }
      }
    }
    Files.writeString(done, rows + "\n");
    System.out.printf(
        Locale.ROOT,
        "data: %,d Avro records in %d shards and one file under %s (%.1f s)%n",
        rows,
        csvShards.size(),
        out,
        (System.nanoTime() - started) / 1e9);
  }

  private static Schema schema(String[] header) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record("Row")
            .fields()
            .requiredInt(header[0])
            .requiredFloat(header[1])
            .requiredFloat(header[2])
            .requiredString(header[3]);
    for (int i = 4; i < header.length; i++) {
      fields = fields.requiredLong(header[i]);
    }
    return fields.endRecord();
  }

  private static void fill(GenericRecord record, String[] cells) {
    record.put(0, Integer.parseInt(cells[0]));
    record.put(1, Float.parseFloat(cells[1]));
    record.put(2, Float.parseFloat(cells[2]));
    record.put(3, cells[3]);
    for (int i = 4; i < cells.length; i++) {
      record.put(i, Long.parseLong(cells[i]));
    }
  }

  private static DataFileWriter<GenericRecord> writer(Schema schema, Path file) throws IOException {
    DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema));
    writer.setCodec(CodecFactory.deflateCodec(1));
    return writer.create(schema, file.toFile());
  }
}
