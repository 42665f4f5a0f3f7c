package dev.bertforge.transforms.shards;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The tests' reader of token shard files (this module's and, through its test jar, the pipelines'): TFRecord framing
 * with both CRCs checked, and a minimal protobuf parser of {@code tf.train.Example} int64 features (packed or not)
 * written from the .proto files, not from the writer's code. Local files; {@code .gz} by name. Training reads shards
 * with the trainer's own streaming reader, which the Beam modules do not depend on.
 */
public final class TokenShardReader {
  private TokenShardReader() {}

  /** Every record of a .tfrecord or .tfrecord.gz file, as feature name → values. */
  public static List<Map<String, long[]>> read(Path file) throws IOException {
    List<Map<String, long[]>> examples = new ArrayList<>();
    for (byte[] record : records(file)) {
      examples.add(parseExample(record));
    }
    return examples;
  }

  public static List<byte[]> records(Path file) throws IOException {
    List<byte[]> records = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in =
            new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw)) {
      byte[] header = new byte[12];
      while (true) {
        try {
          in.readFully(header);
        } catch (EOFException end) {
          return records;
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong(0);
        check(h.getInt(8) == TfRecordWriter.maskedCrc32c(header, 0, 8), file + ": length CRC");
        byte[] data = new byte[Math.toIntExact(length)];
        in.readFully(data);
        byte[] footer = new byte[4];
        in.readFully(footer);
        check(ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt() == TfRecordWriter.maskedCrc32c(data, 0,
            data.length), file + ": data CRC");
        records.add(data);
      }
    }
  }

  public static Map<String, long[]> parseExample(byte[] bytes) {
    Map<String, long[]> features = new LinkedHashMap<>();
    Cursor example = new Cursor(bytes, 0, bytes.length);
    while (example.more()) {
      int tag = (int) example.varint();
      check(tag == 0x0A, "Example.features");
      Cursor featuresMsg = example.sub();
      while (featuresMsg.more()) {
        check(featuresMsg.varint() == 0x0A, "Features.feature");
        Cursor entry = featuresMsg.sub();
        String key = null;
        long[] values = null;
        while (entry.more()) {
          long t = entry.varint();
          if (t == 0x0A) {
            Cursor k = entry.sub();
            key = new String(bytes, k.at, k.end - k.at, StandardCharsets.UTF_8);
          } else if (t == 0x12) {
            values = parseFeature(entry.sub());
          } else {
            throw new IllegalStateException("unexpected tag " + t + " in a map entry");
          }
        }
        features.put(key, values);
      }
    }
    return features;
  }

  private static long[] parseFeature(Cursor feature) {
    check(feature.varint() == 0x1A, "Feature.int64_list");
    Cursor list = feature.sub();
    List<Long> values = new ArrayList<>();
    while (list.more()) {
      long t = list.varint();
      if (t == 0x0A) { // packed
        Cursor packed = list.sub();
        while (packed.more()) {
          values.add(packed.varint());
        }
      } else if (t == 0x08) { // unpacked
        values.add(list.varint());
      } else {
        throw new IllegalStateException("unexpected tag " + t + " in Int64List");
      }
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("corrupt token shard record: bad " + what);
    }
  }

  private static final class Cursor {
    final byte[] b;
    int at;
    final int end;

    Cursor(byte[] b, int at, int end) {
      this.b = b;
      this.at = at;
      this.end = end;
    }

    boolean more() {
      return at < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        byte x = b[at++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
    }

    Cursor sub() {
      int length = (int) varint();
      Cursor c = new Cursor(b, at, at + length);
      at += length;
      check(at <= end, "length");
      return c;
    }
  }
}
