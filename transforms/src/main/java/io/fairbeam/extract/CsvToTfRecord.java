package io.fairbeam.extract;

import com.google.protobuf.ByteString;
import io.fairbeam.proto.tf.BytesList;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tf.FloatList;
import io.fairbeam.proto.tf.Int64List;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.commons.csv.CSVRecord;

/**
 * Converts a CSV file with a header into a TFRecord file of {@code tf.train.Example}s, one per row,
 * each column a feature typed as {@link CsvSchema} infers it; blank cells are left out. A {@code
 * .gz} output name gives GZIP compression.
 */
@Internal
public final class CsvToTfRecord {
  private CsvToTfRecord() {}

  /** What a conversion wrote. */
  public record Summary(long examples, CsvSchema schema) {}

  /** Converts {@code csv} into {@code output}, GZIP-compressed when its name ends in .gz. */
  public static Summary convert(Path csv, Path output) throws IOException {
    return convert(
        csv, output, output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz"));
  }

  /** Converts {@code csv} into {@code output} (created or truncated), compressed if asked. */
  public static Summary convert(Path csv, Path output, boolean gzip) throws IOException {
    CsvSchema schema = CsvSchema.infer(List.of(CsvSchema.Source.of(csv)), null);
    long examples = 0;
    try (InputStream in = Files.newInputStream(csv);
        CsvFile parser = CsvFile.open(in, csv.toString());
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
        TFRecordWriter writer = new TFRecordWriter(gzip ? new GZIPOutputStream(file) : file)) {
      List<String> columns = schema.columns();
      for (CSVRecord row = parser.next(); row != null; row = parser.next()) {
        String problem = parser.widthProblem(row);
        if (problem != null) {
          throw new IOException(
              csv + ": record " + examples + " (" + parser.line() + "): " + problem);
        }
        Features.Builder features = Features.newBuilder();
        for (int c = 0; c < columns.size(); c++) {
          String cell = row.get(c);
          if (!cell.isEmpty()) {
            features.putFeature(columns.get(c), feature(schema.kind(columns.get(c)), cell));
          }
        }
        writer.write(Example.newBuilder().setFeatures(features).build().toByteArray());
        examples++;
      }
    }
    return new Summary(examples, schema);
  }

  private static Feature feature(FeatureKind kind, String cell) {
    return switch (kind) {
      case INT64 ->
          Feature.newBuilder()
              .setInt64List(Int64List.newBuilder().addValue(Long.parseLong(cell.strip())))
              .build();
      case FLOAT ->
          Feature.newBuilder()
              .setFloatList(
                  FloatList.newBuilder().addValue((float) Double.parseDouble(cell.strip())))
              .build();
      case BYTES ->
          Feature.newBuilder()
              .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFromUtf8(cell)))
              .build();
    };
  }
}
