package io.fairbeam.extract;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import com.google.protobuf.CodedOutputStream;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** The wire scanner must read what {@code Example.parseFrom} reads, for the needed features. */
public class TfExampleScannerTest {
  private final FeatureSet features = FeatureSet.of(List.of("label", "score", "group", "age"));

  @Test
  public void agreesWithParseFromOnRandomExamples() throws Exception {
    Random random = new Random(1);
    TfExampleScanner scanner = new TfExampleScanner(features);
    ExampleFeatures decoded = features.newExample();
    String[] names = {"label", "score", "group", "age", "noise1", "noise2", "g"};
    for (int n = 0; n < 500; n++) {
      Example.Builder builder = Example.newBuilder();
      for (String name : names) {
        if (random.nextInt(4) == 0) {
          continue;
        }
        Feature feature =
            switch (random.nextInt(3)) {
              case 0 -> floats(random.nextFloat(), random.nextFloat());
              case 1 -> ints(random.nextLong(), -1, random.nextInt(5));
              default -> text("v" + random.nextInt(3), "é");
            };
        if (random.nextInt(5) == 0) {
          feature = Feature.getDefaultInstance();
        }
        builder.getFeaturesBuilder().putFeature(name, feature);
      }
      Example expected = builder.build();
      byte[] bytes = expected.toByteArray();
      scanner.scan(bytes, bytes.length, decoded);
      Example parsed = Example.parseFrom(bytes);
      for (int slot = 0; slot < features.size(); slot++) {
        Feature feature = parsed.getFeatures().getFeatureMap().get(features.name(slot));
        FeatureValues values = decoded.slot(slot);
        if (feature == null || feature.getKindCase() == Feature.KindCase.KIND_NOT_SET) {
          assertFalse(values.present());
          continue;
        }
        switch (feature.getKindCase()) {
          case FLOAT_LIST -> {
            assertEquals(FeatureKind.FLOAT, values.kind());
            assertEquals(feature.getFloatList().getValueCount(), values.count());
            for (int i = 0; i < values.count(); i++) {
              assertEquals(feature.getFloatList().getValue(i), values.floatAt(i), 0f);
            }
          }
          case INT64_LIST -> {
            assertEquals(FeatureKind.INT64, values.kind());
            assertEquals(
                feature.getInt64List().getValueList(),
                java.util.stream.IntStream.range(0, values.count())
                    .mapToObj(values::int64At)
                    .toList());
          }
          default -> {
            assertEquals(FeatureKind.BYTES, values.kind());
            for (int i = 0; i < values.count(); i++) {
              assertEquals(feature.getBytesList().getValue(i).toStringUtf8(), values.textAt(i));
            }
          }
        }
      }
    }
  }

  @Test
  public void readsUnpackedNumericLists() throws IOException, MalformedRecordException {
    // FloatList/Int64List written element by element (unpacked), as old writers may.
    ByteArrayOutputStream floatList = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(floatList);
    out.writeFloat(1, 0.25f);
    out.writeFloat(1, 0.75f);
    out.flush();
    ByteArrayOutputStream feature = new ByteArrayOutputStream();
    out = CodedOutputStream.newInstance(feature);
    out.writeByteArray(2, floatList.toByteArray());
    out.flush();
    ByteArrayOutputStream entry = new ByteArrayOutputStream();
    out = CodedOutputStream.newInstance(entry);
    out.writeByteArray(2, feature.toByteArray()); // value before key
    out.writeString(1, "score");
    out.flush();
    ByteArrayOutputStream featuresMsg = new ByteArrayOutputStream();
    out = CodedOutputStream.newInstance(featuresMsg);
    out.writeByteArray(1, entry.toByteArray());
    out.flush();
    ByteArrayOutputStream exampleMsg = new ByteArrayOutputStream();
    out = CodedOutputStream.newInstance(exampleMsg);
    out.writeByteArray(1, featuresMsg.toByteArray());
    out.flush();
    byte[] bytes = exampleMsg.toByteArray();
    ExampleFeatures decoded = features.newExample();
    new TfExampleScanner(features).scan(bytes, bytes.length, decoded);
    FeatureValues score = decoded.slot(features.slotOf("score"));
    assertEquals(2, score.count());
    assertEquals(0.75f, score.floatAt(1), 0f);
    assertEquals(
        0.25f,
        Example.parseFrom(bytes)
            .getFeatures()
            .getFeatureOrThrow("score")
            .getFloatList()
            .getValue(0),
        0f);
  }

  @Test
  public void rejectsGarbage() throws MalformedRecordException {
    TfExampleScanner scanner = new TfExampleScanner(features);
    byte[] bytes = example("score", floats(0.5f)).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    assertThrows(
        MalformedRecordException.class,
        () -> scanner.scan(truncated, truncated.length, features.newExample()));
    byte[] text = "hello world".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThrows(
        MalformedRecordException.class,
        () -> scanner.scan(text, text.length, features.newExample()));
  }

  @Test
  public void deeplyNestedGroupsAreAMalformedRecordNotAStackOverflow() {
    // An unknown field 15 opening 100,000 nested groups: protobuf itself stops at depth 100.
    int depth = 100_000;
    byte[] bytes = new byte[2 * depth];
    java.util.Arrays.fill(bytes, 0, depth, (byte) (15 << 3 | 3));
    java.util.Arrays.fill(bytes, depth, 2 * depth, (byte) (15 << 3 | 4));
    TfExampleScanner scanner = new TfExampleScanner(features);
    MalformedRecordException e =
        assertThrows(
            MalformedRecordException.class,
            () -> scanner.scan(bytes, bytes.length, features.newExample()));
    assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("nested more than 100"));
    assertThrows(
        com.google.protobuf.InvalidProtocolBufferException.class, () -> Example.parseFrom(bytes));
  }
}
