package io.fairbeam.extract;

import java.nio.ByteBuffer;
import java.util.Collection;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Puts the needed fields of an Avro {@link GenericRecord} into {@link ExampleFeatures}, mapping
 * Avro types onto {@code tf.train.Feature} types as TFX's Avro-to-Example conversion does: int,
 * long and boolean become INT64, float and double become FLOAT (float32), string, bytes, fixed and
 * enum become BYTES, an array gives one value per element, and null (also through a nullable union)
 * is a missing feature.
 */
final class AvroExampleDecoder {
  private final FeatureSet features;

  public AvroExampleDecoder(FeatureSet features) {
    this.features = features;
  }

  /** Decodes {@code record} into {@code example}, which is cleared first. */
  public void decode(GenericRecord record, ExampleFeatures example)
      throws MalformedRecordException {
    example.clear();
    Schema schema = record.getSchema();
    for (int slot = 0; slot < features.size(); slot++) {
      String name = features.name(slot);
      Schema.Field field = schema.getField(name);
      if (field == null) {
        continue;
      }
      Object value = record.get(field.pos());
      if (value == null) {
        continue;
      }
      FeatureValues values = example.slot(slot);
      if (value instanceof Collection<?> list) {
        FeatureKind kind = null;
        for (Object element : list) {
          if (element == null) {
            throw new MalformedRecordException(
                "field '" + name + "': null element in an Avro array");
          }
          FeatureKind elementKind = kindOf(name, element);
          if (kind == null) {
            kind = elementKind;
            values.start(kind);
          } else if (kind != elementKind) {
            throw new MalformedRecordException(
                "field '" + name + "': Avro array mixes " + kind + " and " + elementKind);
          }
          add(values, element);
        }
      } else {
        values.start(kindOf(name, value));
        add(values, value);
      }
    }
  }

  private static FeatureKind kindOf(String name, Object value) throws MalformedRecordException {
    if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
      return FeatureKind.INT64;
    }
    if (value instanceof Float || value instanceof Double) {
      return FeatureKind.FLOAT;
    }
    if (value instanceof CharSequence
        || value instanceof ByteBuffer
        || value instanceof GenericFixed
        || value instanceof GenericEnumSymbol<?>) {
      return FeatureKind.BYTES;
    }
    throw new MalformedRecordException(
        "field '"
            + name
            + "': unsupported Avro value of type "
            + value.getClass().getSimpleName()
            + " (expected a primitive, a nullable primitive or"
            + " an array of primitives)");
  }

  private static void add(FeatureValues values, Object value) {
    if (value instanceof Integer i) {
      values.addInt64(i);
    } else if (value instanceof Long l) {
      values.addInt64(l);
    } else if (value instanceof Boolean b) {
      values.addInt64(b ? 1 : 0);
    } else if (value instanceof Float f) {
      values.addFloat(f);
    } else if (value instanceof Double d) {
      values.addFloat((float) (double) d);
    } else if (value instanceof Utf8 utf8) {
      values.addBytes(utf8.getBytes(), 0, utf8.getByteLength());
    } else if (value instanceof CharSequence text) {
      byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      values.addBytes(bytes, 0, bytes.length);
    } else if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      values.addBytes(bytes, 0, bytes.length);
    } else if (value instanceof GenericFixed fixed) {
      values.addBytes(fixed.bytes(), 0, fixed.bytes().length);
    } else {
      byte[] bytes = value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      values.addBytes(bytes, 0, bytes.length);
    }
  }
}
