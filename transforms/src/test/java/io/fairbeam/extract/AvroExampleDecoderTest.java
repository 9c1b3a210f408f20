package io.fairbeam.extract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.Test;

/** Avro values mapped onto tf.Example types. */
public class AvroExampleDecoderTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("R")
          .fields()
          .optionalInt("i")
          .requiredDouble("d")
          .requiredBoolean("b")
          .optionalString("s")
          .name("tags")
          .type()
          .array()
          .items()
          .stringType()
          .noDefault()
          .name("m")
          .type()
          .map()
          .values()
          .intType()
          .noDefault()
          .endRecord();

  private final FeatureSet features = FeatureSet.of(List.of("i", "d", "b", "s", "tags", "m"));

  private GenericRecord record(Integer i, String s) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("i", i);
    r.put("d", 0.1);
    r.put("b", true);
    r.put("s", s == null ? null : new Utf8(s));
    r.put("tags", List.of("x", "y"));
    r.put("m", Map.of());
    return r;
  }

  @Test
  public void mapsPrimitivesNullableUnionsAndArrays() throws Exception {
    FeatureSet wanted = FeatureSet.of(List.of("i", "d", "b", "s", "tags"));
    ExampleFeatures example = wanted.newExample();
    new AvroExampleDecoder(wanted).decode(record(7, "hi"), example);
    assertEquals(7L, example.slot(0).int64At(0));
    assertEquals((float) 0.1, example.slot(1).floatAt(0), 0f);
    assertEquals(1L, example.slot(2).int64At(0));
    assertEquals("hi", example.slot(3).textAt(0));
    assertEquals(2, example.slot(4).count());
    assertEquals("y", example.slot(4).textAt(1));
    new AvroExampleDecoder(wanted).decode(record(null, null), example);
    assertFalse(example.slot(0).present());
    assertFalse(example.slot(3).present());
  }

  @Test
  public void rejectsNestedValues() {
    MalformedRecordException e =
        assertThrows(
            MalformedRecordException.class,
            () -> new AvroExampleDecoder(features).decode(record(1, "a"), features.newExample()));
    assertEquals(true, e.getMessage().contains("field 'm'"));
  }
}
