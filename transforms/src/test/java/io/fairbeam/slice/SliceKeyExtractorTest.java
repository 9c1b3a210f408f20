package io.fairbeam.slice;

import static io.fairbeam.extract.TestExamples.example;
import static io.fairbeam.extract.TestExamples.floats;
import static io.fairbeam.extract.TestExamples.ints;
import static io.fairbeam.extract.TestExamples.text;
import static org.junit.Assert.assertEquals;

import io.fairbeam.extract.ExampleFeatures;
import io.fairbeam.extract.FeatureSet;
import io.fairbeam.extract.MalformedRecordException;
import io.fairbeam.extract.TfExampleScanner;
import io.fairbeam.proto.tf.Example;
import io.fairbeam.proto.tf.Feature;
import io.fairbeam.proto.tfma.SlicingSpec;
import io.fairbeam.util.IntList;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

/** Slicing semantics, case by case and against a direct implementation of TFMA's rules. */
public class SliceKeyExtractorTest {
  private static final SlicingSpec OVERALL = SlicingSpec.getDefaultInstance();
  private static final SlicingSpec BY_SEX_CLASS =
      SlicingSpec.newBuilder().addFeatureKeys("sex").addFeatureKeys("class").build();
  private static final SlicingSpec BY_SEX = SlicingSpec.newBuilder().addFeatureKeys("sex").build();
  private static final SlicingSpec FEMALE =
      SlicingSpec.newBuilder().putFeatureValues("sex", "female").build();
  private static final SlicingSpec AGE_30 =
      SlicingSpec.newBuilder().putFeatureValues("age", "30").build();
  private static final SlicingSpec SCORE_HALF_BY_SEX =
      SlicingSpec.newBuilder().putFeatureValues("score", "0.5").addFeatureKeys("sex").build();

  private static Set<String> slices(List<SlicingSpec> specs, Example example)
      throws MalformedRecordException {
    FeatureSet features = FeatureSet.of(SliceKeyExtractor.featuresOf(specs));
    SliceKeyExtractor extractor = new SliceKeyExtractor(specs, features);
    ExampleFeatures decoded = features.newExample();
    byte[] bytes = example.toByteArray();
    new TfExampleScanner(features).scan(bytes, bytes.length, decoded);
    IntList ordinals = extractor.slicesOf(decoded);
    Set<String> result = new TreeSet<>();
    for (int i = 0; i < ordinals.size(); i++) {
      result.add(extractor.key(ordinals.get(i)).toString());
    }
    assertEquals("no duplicates", ordinals.size(), result.size());
    return result;
  }

  @Test
  public void overallAndCrossProductWithSortedColumns() throws Exception {
    assertEquals(
        Set.of("Overall", "class_X_sex:First_X_female"),
        slices(
            List.of(OVERALL, BY_SEX_CLASS),
            example("sex", text("female"), "class", text("First"))));
  }

  @Test
  public void missingFeatureLeavesExampleOutOfThatSpec() throws Exception {
    assertEquals(
        Set.of("Overall"), slices(List.of(OVERALL, BY_SEX_CLASS), example("sex", text("female"))));
  }

  @Test
  public void multiValuedFeatureGivesOneSlicePerValue() throws Exception {
    assertEquals(
        Set.of(
            "class_X_sex:First_X_a",
            "class_X_sex:First_X_b",
            "class_X_sex:Second_X_a",
            "class_X_sex:Second_X_b"),
        slices(
            List.of(BY_SEX_CLASS),
            example("sex", text("a", "b"), "class", text("First", "Second"))));
  }

  @Test
  public void featureValuesMatchesStringsAndNumbersKeepingTheirType() throws Exception {
    assertEquals(Set.of("sex:female"), slices(List.of(FEMALE), example("sex", text("female"))));
    assertEquals(Set.of(), slices(List.of(FEMALE), example("sex", text("male"))));
    assertEquals(Set.of("age:30"), slices(List.of(AGE_30), example("age", ints(30))));
    assertEquals(Set.of("age:30.0"), slices(List.of(AGE_30), example("age", floats(30f))));
    assertEquals(Set.of(), slices(List.of(AGE_30), example("age", ints(31))));
    assertEquals(
        Set.of("score_X_sex:0.5_X_m"),
        slices(List.of(SCORE_HALF_BY_SEX), example("score", floats(0.5f), "sex", text("m"))));
  }

  @Test
  public void sameSliceFromTwoSpecsCountsOnce() throws Exception {
    assertEquals(
        Set.of("sex:female"), slices(List.of(BY_SEX, FEMALE), example("sex", text("female"))));
  }

  @Test
  public void typedValuesInProto() throws Exception {
    List<SlicingSpec> specs =
        List.of(
            SlicingSpec.newBuilder()
                .addFeatureKeys("n")
                .addFeatureKeys("f")
                .addFeatureKeys("s")
                .build());
    FeatureSet features = FeatureSet.of(SliceKeyExtractor.featuresOf(specs));
    SliceKeyExtractor extractor = new SliceKeyExtractor(specs, features);
    ExampleFeatures decoded = features.newExample();
    byte[] bytes = example("n", ints(7), "f", floats(0.1f), "s", text("x")).toByteArray();
    new TfExampleScanner(features).scan(bytes, bytes.length, decoded);
    SliceKey key = extractor.key(extractor.slicesOf(decoded).get(0));
    io.fairbeam.proto.tfma.SliceKey proto = key.toProto();
    assertEquals("f", proto.getSingleSliceKeys(0).getColumn());
    assertEquals(0.1f, proto.getSingleSliceKeys(0).getFloatValue(), 0f);
    assertEquals(7, proto.getSingleSliceKeys(1).getInt64Value());
    assertEquals("x", proto.getSingleSliceKeys(2).getBytesValue().toStringUtf8());
    assertEquals("f_X_n_X_s:0.10000000149011612_X_7_X_x", key.toString());
    assertEquals(key, SliceKey.fromProto(proto));
  }

  @Test
  public void twoColumnSpecsKeepTheirSlicesAsTheirTableGrowsAndOutgrowsItsLimit() throws Exception {
    // Column b gains values as the run goes on (the table widens), column a keeps gaining rows,
    // and past 2^14 entries the pairs move to the hash table: every example must still get its
    // slice, and a slice seen again its first ordinal.
    for (int limit : new int[] {1 << 14, 1 << 22}) {
      SlicingSpec byAb = SlicingSpec.newBuilder().addFeatureKeys("a").addFeatureKeys("b").build();
      List<SlicingSpec> specs = List.of(byAb);
      FeatureSet features = FeatureSet.of(SliceKeyExtractor.featuresOf(specs));
      SliceKeyExtractor extractor = new SliceKeyExtractor(specs, features, limit);
      TfExampleScanner scanner = new TfExampleScanner(features);
      ExampleFeatures decoded = features.newExample();
      java.util.Map<String, Integer> ordinalOf = new java.util.HashMap<>();
      java.util.Random random = new java.util.Random(3);
      for (int n = 0; n < 20000; n++) {
        String a = "a" + random.nextInt(1 + n / 4);
        String b = "b" + random.nextInt(1 + n / 100);
        byte[] bytes = example("a", text(a), "b", text(b)).toByteArray();
        scanner.scan(bytes, bytes.length, decoded);
        IntList ordinals = extractor.slicesOf(decoded);
        assertEquals(1, ordinals.size());
        String key = "a_X_b:" + a + "_X_" + b;
        assertEquals(key, extractor.key(ordinals.get(0)).toString());
        assertEquals(
            key, ordinalOf.computeIfAbsent(key, k -> ordinals.get(0)), (Integer) ordinals.get(0));
      }
    }
  }

  @Test
  public void manyValuesAgreeWithDirectCrossProduct() throws Exception {
    // High-cardinality features exercise both the packed and the fallback key paths; specs that
    // share features (a, sex) and have one column exercise the per-example ids and the array of
    // ordinals by id, with a value count that changes from example to example.
    List<SlicingSpec> specs =
        List.of(
            OVERALL,
            BY_SEX_CLASS,
            SlicingSpec.newBuilder().addFeatureKeys("a").build(),
            BY_SEX,
            SlicingSpec.newBuilder()
                .addFeatureKeys("a")
                .addFeatureKeys("b")
                .addFeatureKeys("c")
                .addFeatureKeys("d")
                .addFeatureKeys("e")
                .build());
    FeatureSet features = FeatureSet.of(SliceKeyExtractor.featuresOf(specs));
    SliceKeyExtractor extractor = new SliceKeyExtractor(specs, features);
    TfExampleScanner scanner = new TfExampleScanner(features);
    ExampleFeatures decoded = features.newExample();
    java.util.Random random = new java.util.Random(2);
    for (int n = 0; n < 3000; n++) {
      Example.Builder builder = Example.newBuilder();
      String[] names = {"sex", "class", "a", "b", "c", "d", "e"};
      List<List<String>> values = new ArrayList<>();
      for (String name : names) {
        List<String> v = new ArrayList<>();
        int count = random.nextInt(6) == 0 ? 2 : 1;
        for (int i = 0; i < count; i++) {
          v.add(name + random.nextInt(name.length() == 1 ? 5000 : 3));
        }
        values.add(v);
        Feature feature = text(v.toArray(new String[0]));
        builder.getFeaturesBuilder().putFeature(name, feature);
      }
      byte[] bytes = builder.build().toByteArray();
      scanner.scan(bytes, bytes.length, decoded);
      IntList ordinals = extractor.slicesOf(decoded);
      Set<String> actual = new TreeSet<>();
      for (int i = 0; i < ordinals.size(); i++) {
        actual.add(extractor.key(ordinals.get(i)).toString());
      }
      Set<String> expected = new TreeSet<>();
      expected.add("Overall");
      values.get(2).forEach(a -> expected.add("a:" + a));
      values.get(0).forEach(sex -> expected.add("sex:" + sex));
      for (String sex : new TreeSet<>(values.get(0))) {
        for (String cls : new TreeSet<>(values.get(1))) {
          expected.add("class_X_sex:" + cls + "_X_" + sex);
        }
      }
      for (String a : values.get(2)) {
        for (String b : values.get(3)) {
          for (String c : values.get(4)) {
            for (String d : values.get(5)) {
              for (String e : values.get(6)) {
                expected.add("a_X_b_X_c_X_d_X_e:" + String.join("_X_", a, b, c, d, e));
              }
            }
          }
        }
      }
      assertEquals(expected, actual);
    }
  }
}
