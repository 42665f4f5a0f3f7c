package dev.bertforge.transforms.shards;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes a {@code tf.train.Example} whose features are all {@code int64} lists, by hand, in the protobuf layout
 * of TensorFlow's {@code example.proto}/{@code feature.proto}: {@code Example{features=1}}, {@code Features{map
 * feature=1}} (entries {@code key=1, value=2}), {@code Feature{int64_list=3}}, {@code Int64List{packed value=1}}.
 * Features are written in the order they were added.
 */
public final class TfExample {
  private static final int LENGTH_DELIMITED_1 = (1 << 3) | 2;
  private static final int LENGTH_DELIMITED_2 = (2 << 3) | 2;
  private static final int LENGTH_DELIMITED_3 = (3 << 3) | 2;

  private final List<byte[]> names = new ArrayList<>();
  private final List<int[]> values = new ArrayList<>();
  private final List<Integer> counts = new ArrayList<>();

  /** Adds the feature {@code name} holding {@code values[0..count)} as int64s (the array is read at serialization). */
  public TfExample addInt64List(String name, int[] values, int count) {
    names.add(name.getBytes(StandardCharsets.UTF_8));
    this.values.add(values);
    counts.add(count);
    return this;
  }

  public byte[] toByteArray() {
    int[] packedSizes = new int[names.size()];
    int[] entrySizes = new int[names.size()];
    int featuresSize = 0;
    for (int f = 0; f < names.size(); f++) {
      packedSizes[f] = packedSize(values.get(f), counts.get(f));
      int int64ListSize = 1 + varintSize(packedSizes[f]) + packedSizes[f];
      int featureSize = 1 + varintSize(int64ListSize) + int64ListSize;
      entrySizes[f] = fieldSize(names.get(f).length) + fieldSize(featureSize);
      featuresSize += fieldSize(entrySizes[f]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(fieldSize(featuresSize));
    out.write(LENGTH_DELIMITED_1);
    writeVarint(out, featuresSize);
    for (int f = 0; f < names.size(); f++) {
      int packed = packedSizes[f];
      int int64ListSize = 1 + varintSize(packed) + packed;
      int featureSize = 1 + varintSize(int64ListSize) + int64ListSize;
      out.write(LENGTH_DELIMITED_1); // Features.feature (a map entry)
      writeVarint(out, entrySizes[f]);
      out.write(LENGTH_DELIMITED_1); // entry.key
      writeVarint(out, names.get(f).length);
      out.write(names.get(f), 0, names.get(f).length);
      out.write(LENGTH_DELIMITED_2); // entry.value: Feature
      writeVarint(out, featureSize);
      out.write(LENGTH_DELIMITED_3); // Feature.int64_list
      writeVarint(out, int64ListSize);
      out.write(LENGTH_DELIMITED_1); // Int64List.value, packed
      writeVarint(out, packed);
      int[] v = values.get(f);
      for (int i = 0, n = counts.get(f); i < n; i++) {
        writeVarint(out, v[i]);
      }
    }
    return out.toByteArray();
  }

  /** Bytes of a length-delimited field of {@code size} payload bytes (tag < 128). */
  private static int fieldSize(int size) {
    return 1 + varintSize(size) + size;
  }

  private static int packedSize(int[] v, int count) {
    int size = 0;
    for (int i = 0; i < count; i++) {
      size += varintSize(v[i]);
    }
    return size;
  }

  /** Bytes of the varint of an int64; a negative int is sign-extended to 64 bits, as protobuf does (10 bytes). */
  static int varintSize(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
