package io.fairbeam.extract;

import org.apache.beam.sdk.annotations.Internal;

/**
 * Decodes the needed features of a serialized {@code tf.train.Example} straight from the protobuf
 * wire format, without building an {@code Example} object: map entries whose key is not in the
 * {@link FeatureSet} are skipped by length, and the values of the others are written into their
 * slots. This is several times faster than {@code Example.parseFrom} on wide records.
 *
 * <p>It accepts everything a protobuf parser accepts for these messages: packed and unpacked
 * numeric lists, map entries with the value before the key, unknown fields (skipped), and a
 * repeated feature key (the last entry wins, as in a parsed map).
 */
@Internal
public final class TfExampleScanner {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int START_GROUP = 3;
  private static final int END_GROUP = 4;
  private static final int FIXED32 = 5;

  /** Protobuf's own default recursion limit: deeper records are bad records, not a crash. */
  private static final int MAX_GROUP_DEPTH = 100;

  private final FeatureSet features;
  private byte[] buffer;
  private int position;

  public TfExampleScanner(FeatureSet features) {
    this.features = features;
  }

  /** Decodes {@code record[0, length)} into {@code example}, which is cleared first. */
  public void scan(byte[] record, int length, ExampleFeatures example)
      throws MalformedRecordException {
    example.clear();
    buffer = record;
    position = 0;
    try {
      while (position < length) {
        int tag = readTag(length);
        if (tag == ((1 << 3) | LENGTH_DELIMITED)) {
          int end = readLengthEnd(length);
          scanFeatures(end, example);
        } else {
          skipField(tag, length);
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new MalformedRecordException("not a tf.Example: truncated protobuf field");
    }
  }

  private void scanFeatures(int end, ExampleFeatures example) throws MalformedRecordException {
    while (position < end) {
      int tag = readTag(end);
      if (tag == ((1 << 3) | LENGTH_DELIMITED)) {
        int entryEnd = readLengthEnd(end);
        scanEntry(entryEnd, example);
      } else {
        skipField(tag, end);
      }
    }
  }

  private void scanEntry(int end, ExampleFeatures example) throws MalformedRecordException {
    int slot = -1;
    boolean keySeen = false;
    int valueStart = -1;
    int valueEnd = -1;
    while (position < end) {
      int tag = readTag(end);
      if (tag == ((1 << 3) | LENGTH_DELIMITED)) {
        int keyEnd = readLengthEnd(end);
        slot = features.slotOf(buffer, position, keyEnd - position);
        keySeen = true;
        position = keyEnd;
      } else if (tag == ((2 << 3) | LENGTH_DELIMITED)) {
        valueEnd = readLengthEnd(end);
        valueStart = position;
        position = valueEnd;
      } else {
        skipField(tag, end);
      }
    }
    if (!keySeen) {
      slot = features.slotOf(buffer, 0, 0);
    }
    if (slot < 0) {
      return;
    }
    FeatureValues values = example.slot(slot);
    values.clear();
    if (valueStart < 0) {
      return;
    }
    int saved = position;
    position = valueStart;
    scanFeature(valueEnd, values);
    position = saved;
  }

  private void scanFeature(int end, FeatureValues values) throws MalformedRecordException {
    while (position < end) {
      int tag = readTag(end);
      int field = tag >>> 3;
      if ((tag & 7) != LENGTH_DELIMITED || field < 1 || field > 3) {
        skipField(tag, end);
        continue;
      }
      int listEnd = readLengthEnd(end);
      switch (field) {
        case 1 -> scanBytesList(listEnd, values);
        case 2 -> scanFloatList(listEnd, values);
        default -> scanInt64List(listEnd, values);
      }
    }
  }

  private void scanBytesList(int end, FeatureValues values) throws MalformedRecordException {
    values.start(FeatureKind.BYTES);
    while (position < end) {
      int tag = readTag(end);
      if (tag == ((1 << 3) | LENGTH_DELIMITED)) {
        int valueEnd = readLengthEnd(end);
        values.addBytes(buffer, position, valueEnd - position);
        position = valueEnd;
      } else {
        skipField(tag, end);
      }
    }
  }

  private void scanFloatList(int end, FeatureValues values) throws MalformedRecordException {
    values.start(FeatureKind.FLOAT);
    while (position < end) {
      int tag = readTag(end);
      if (tag == ((1 << 3) | LENGTH_DELIMITED)) {
        int packedEnd = readLengthEnd(end);
        if ((packedEnd - position) % 4 != 0) {
          throw new MalformedRecordException("not a tf.Example: packed float list of odd length");
        }
        while (position < packedEnd) {
          values.addFloat(Float.intBitsToFloat(readFixed32()));
        }
      } else if (tag == ((1 << 3) | FIXED32)) {
        checkAvailable(4, end);
        values.addFloat(Float.intBitsToFloat(readFixed32()));
      } else {
        skipField(tag, end);
      }
    }
  }

  private void scanInt64List(int end, FeatureValues values) throws MalformedRecordException {
    values.start(FeatureKind.INT64);
    while (position < end) {
      int tag = readTag(end);
      if (tag == ((1 << 3) | LENGTH_DELIMITED)) {
        int packedEnd = readLengthEnd(end);
        while (position < packedEnd) {
          values.addInt64(readVarint(packedEnd));
        }
      } else if (tag == ((1 << 3) | VARINT)) {
        values.addInt64(readVarint(end));
      } else {
        skipField(tag, end);
      }
    }
  }

  private int readTag(int limit) throws MalformedRecordException {
    long tag = readVarint(limit);
    if (tag == 0 || tag > Integer.MAX_VALUE) {
      throw new MalformedRecordException("not a tf.Example: invalid protobuf tag " + tag);
    }
    return (int) tag;
  }

  private int readLengthEnd(int limit) throws MalformedRecordException {
    long length = readVarint(limit);
    if (length < 0 || length > limit - position) {
      throw new MalformedRecordException(
          "not a tf.Example: a field of " + length + " bytes overruns its message");
    }
    return position + (int) length;
  }

  private void checkAvailable(int bytes, int limit) throws MalformedRecordException {
    if (limit - position < bytes) {
      throw new MalformedRecordException("not a tf.Example: truncated protobuf field");
    }
  }

  private long readVarint(int limit) throws MalformedRecordException {
    // Tags, keys' lengths and small values are one byte: the common case, without the loop.
    if (position < limit) {
      byte first = buffer[position];
      if (first >= 0) {
        position++;
        return first;
      }
    }
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= limit) {
        throw new MalformedRecordException("not a tf.Example: truncated varint");
      }
      byte b = buffer[position++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new MalformedRecordException("not a tf.Example: malformed varint");
  }

  private int readFixed32() {
    int p = position;
    position += 4;
    return (buffer[p] & 0xFF)
        | (buffer[p + 1] & 0xFF) << 8
        | (buffer[p + 2] & 0xFF) << 16
        | (buffer[p + 3] & 0xFF) << 24;
  }

  private void skipField(int tag, int limit) throws MalformedRecordException {
    skipField(tag, limit, 0);
  }

  private void skipField(int tag, int limit, int depth) throws MalformedRecordException {
    switch (tag & 7) {
      case VARINT -> readVarint(limit);
      case FIXED64 -> {
        checkAvailable(8, limit);
        position += 8;
      }
      case LENGTH_DELIMITED -> position = readLengthEnd(limit);
      case FIXED32 -> {
        checkAvailable(4, limit);
        position += 4;
      }
      case START_GROUP -> skipGroup(tag >>> 3, limit, depth + 1);
      default ->
          throw new MalformedRecordException(
              "not a tf.Example: invalid protobuf wire type " + (tag & 7));
    }
  }

  private void skipGroup(int field, int limit, int depth) throws MalformedRecordException {
    if (depth > MAX_GROUP_DEPTH) {
      throw new MalformedRecordException(
          "not a tf.Example: protobuf groups nested more than " + MAX_GROUP_DEPTH + " deep");
    }
    while (true) {
      int tag = readTag(limit);
      if ((tag & 7) == END_GROUP) {
        if (tag >>> 3 != field) {
          throw new MalformedRecordException("not a tf.Example: mismatched protobuf group");
        }
        return;
      }
      skipField(tag, limit, depth);
    }
  }
}
