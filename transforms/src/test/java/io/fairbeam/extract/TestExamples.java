package io.fairbeam.extract;

import com.google.protobuf.ByteString;
import io.fairbeam.proto.tf.BytesList;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tf.Features;
import io.fairbeam.proto.tf.FloatList;
import io.fairbeam.proto.tf.Int64List;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builds tf.Examples and TFRecord files for tests. */
public final class TestExamples {
  private TestExamples() {}

  public static Feature floats(float... values) {
    FloatList.Builder list = FloatList.newBuilder();
    for (float v : values) {
      list.addValue(v);
    }
    return Feature.newBuilder().setFloatList(list).build();
  }

  public static Feature ints(long... values) {
    Int64List.Builder list = Int64List.newBuilder();
    for (long v : values) {
      list.addValue(v);
    }
    return Feature.newBuilder().setInt64List(list).build();
  }

  public static Feature text(String... values) {
    BytesList.Builder list = BytesList.newBuilder();
    for (String v : values) {
      list.addValue(ByteString.copyFromUtf8(v));
    }
    return Feature.newBuilder().setBytesList(list).build();
  }

  /** An example from alternating names and features. */
  public static Example example(Object... namesAndFeatures) {
    Features.Builder features = Features.newBuilder();
    for (int i = 0; i < namesAndFeatures.length; i += 2) {
      features.putFeature((String) namesAndFeatures[i], (Feature) namesAndFeatures[i + 1]);
    }
    return Example.newBuilder().setFeatures(features).build();
  }

  public static void writeTfRecord(Path file, List<Example> examples, boolean gzip)
      throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        TFRecordWriter writer = new TFRecordWriter(gzip ? new GZIPOutputStream(raw) : raw)) {
      for (Example example : examples) {
        writer.write(example.toByteArray());
      }
    }
  }

  /** {@code examples} as one uncompressed TFRecord file's bytes. */
  public static byte[] tfRecord(List<Example> examples) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TFRecordWriter writer = new TFRecordWriter(bytes)) {
      for (Example example : examples) {
        writer.write(example.toByteArray());
      }
    }
    return bytes.toByteArray();
  }
}
