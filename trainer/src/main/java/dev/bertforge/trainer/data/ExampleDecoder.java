package dev.bertforge.trainer.data;

/**
 * Decodes the {@code tf.train.Example} protobuf of a token row: the int64 lists {@code input_ids} and
 * {@code doc_lengths}. Other features are skipped. A row without {@code doc_lengths} is taken as one
 * document.
 *
 * <p>Wire layout (example.proto, feature.proto): Example{features=1} → Features{map feature=1 of
 * entries {key=1, value=2}} → Feature{bytes_list=1 | float_list=2 | int64_list=3} → Int64List{value=1},
 * packed or not.
 */
public final class ExampleDecoder {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LENGTH_DELIMITED = 2;
  private static final int WIRE_FIXED32 = 5;

  private ExampleDecoder() {}

  /**
   * The row held by {@code example}.
   *
   * @throws IllegalArgumentException if the bytes are not a valid Example, {@code input_ids} is missing, or
   *     a value is negative or does not fit an int
   */
  public static TokenRow decode(byte[] example) {
    int[][] features = new int[2][]; // input_ids, doc_lengths
    Cursor message = new Cursor(example, 0, example.length);
    while (message.hasMore()) {
      int tag = message.varint32();
      if (tag >>> 3 == 1 && (tag & 7) == WIRE_LENGTH_DELIMITED) {
        readFeatures(message.sub(), features);
      } else {
        message.skip(tag & 7);
      }
    }
    if (features[0] == null) {
      throw new IllegalArgumentException("tf.train.Example has no int64 feature 'input_ids'");
    }
    int[] docLengths = features[1] != null ? features[1] : new int[] {features[0].length};
    if (features[0].length == 0) {
      throw new IllegalArgumentException("tf.train.Example has an empty 'input_ids'");
    }
    return new TokenRow(features[0], docLengths);
  }

  private static void readFeatures(Cursor features, int[][] out) {
    while (features.hasMore()) {
      int tag = features.varint32();
      if (tag >>> 3 != 1 || (tag & 7) != WIRE_LENGTH_DELIMITED) {
        features.skip(tag & 7);
        continue;
      }
      Cursor entry = features.sub();
      String key = null;
      Cursor value = null;
      while (entry.hasMore()) {
        int entryTag = entry.varint32();
        int field = entryTag >>> 3;
        if (field == 1 && (entryTag & 7) == WIRE_LENGTH_DELIMITED) {
          key = entry.string();
        } else if (field == 2 && (entryTag & 7) == WIRE_LENGTH_DELIMITED) {
          value = entry.sub();
        } else {
          entry.skip(entryTag & 7);
        }
      }
      int slot = "input_ids".equals(key) ? 0 : "doc_lengths".equals(key) ? 1 : -1;
      if (slot >= 0 && value != null) {
        out[slot] = readInt64List(value, key);
      }
    }
  }

  private static int[] readInt64List(Cursor feature, String key) {
    int[] values = null;
    while (feature.hasMore()) {
      int tag = feature.varint32();
      if (tag >>> 3 == 3 && (tag & 7) == WIRE_LENGTH_DELIMITED) {
        values = readInt64Values(feature.sub(), key);
      } else if (tag >>> 3 == 1 || tag >>> 3 == 2) {
        throw new IllegalArgumentException("feature '" + key + "' is not an int64 list");
      } else {
        feature.skip(tag & 7);
      }
    }
    return values != null ? values : new int[0];
  }

  private static int[] readInt64Values(Cursor list, String key) {
    IntList values = new IntList(list.remaining());
    while (list.hasMore()) {
      int tag = list.varint32();
      if (tag >>> 3 == 1 && (tag & 7) == WIRE_LENGTH_DELIMITED) {
        Cursor packed = list.sub();
        while (packed.hasMore()) {
          values.add(toInt(packed.varint64(), key));
        }
      } else if (tag >>> 3 == 1 && (tag & 7) == WIRE_VARINT) {
        values.add(toInt(list.varint64(), key));
      } else {
        list.skip(tag & 7);
      }
    }
    return values.toArray();
  }

  private static int toInt(long value, String key) {
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("feature '" + key + "' holds " + value + ", not a token id or length");
    }
    return (int) value;
  }

  /** A read position inside {@code bytes[start, end)}. */
  private static final class Cursor {
    private final byte[] bytes;
    private int position;
    private final int end;

    Cursor(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    int remaining() {
      return end - position;
    }

    long varint64() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = bytes[position++];
        result |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    int varint32() {
      long value = varint64();
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("malformed tag or length " + value);
      }
      return (int) value;
    }

    Cursor sub() {
      int length = varint32();
      if (length > end - position) {
        throw new IllegalArgumentException("length " + length + " runs past the end of its message");
      }
      Cursor sub = new Cursor(bytes, position, position + length);
      position += length;
      return sub;
    }

    String string() {
      Cursor sub = sub();
      return new String(bytes, sub.position, sub.end - sub.position, java.nio.charset.StandardCharsets.UTF_8);
    }

    void skip(int wireType) {
      switch (wireType) {
        case WIRE_VARINT -> varint64();
        case WIRE_FIXED64 -> advance(8);
        case WIRE_LENGTH_DELIMITED -> sub();
        case WIRE_FIXED32 -> advance(4);
        default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
      }
    }

    private void advance(int n) {
      if (n > end - position) {
        throw new IllegalArgumentException("field runs past the end of its message");
      }
      position += n;
    }
  }

  /** A growable int array, to avoid boxing millions of token ids. */
  private static final class IntList {
    private int[] values;
    private int size;

    IntList(int capacityHint) {
      values = new int[Math.max(4, capacityHint)];
    }

    void add(int value) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
