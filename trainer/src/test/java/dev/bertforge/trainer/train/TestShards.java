package dev.bertforge.trainer.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Writes small shard sets for tests that need another vocabulary than the TensorFlow fixtures (the reader
 * these feed is checked against TensorFlow's own files in the data tests).
 */
final class TestShards {
  private TestShards() {}

  /** One shard of {@code rows} random rows of {@code length} ids in [5, vocab), with specials 0..4. */
  static Path write(Path dir, int vocab, int rows, int length, long seed) throws IOException {
    return write(dir, vocab, rows, length, seed, "test");
  }

  /** The same, naming the tokenizer by {@code tokenizerSha256} in the manifest. */
  static Path write(Path dir, int vocab, int rows, int length, long seed, String tokenizerSha256)
      throws IOException {
    Files.createDirectories(dir);
    java.util.Random random = new java.util.Random(seed);
    try (OutputStream out = Files.newOutputStream(dir.resolve("tokens-00000-of-00001.tfrecord"))) {
      for (int r = 0; r < rows; r++) {
        long[] ids = new long[length];
        ids[0] = 1;
        for (int i = 1; i < length - 1; i++) {
          ids[i] = 5 + random.nextInt(vocab - 5);
        }
        ids[length - 1] = 2;
        writeRecord(out, example(ids, new long[] {length}));
      }
    }
    Files.writeString(dir.resolve("manifest.json"), """
        {"format_version": 1, "tokenizer_sha256": "%s", "vocab_size": %d,
         "special_ids": {"unk": 0, "cls": 1, "sep": 2, "pad": 3, "mask": 4},
         "special_tokens": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, "[MASK]": 4},
         "max_seq_len": %d, "mode": "pack", "totals": {"documents": %d, "rows": %d, "tokens": %d},
         "shards": [{"file": "tokens-00000-of-00001.tfrecord", "rows": %d, "tokens": %d}]}
        """.formatted(tokenizerSha256, vocab, length, rows, rows, rows * length, rows, rows * length));
    return dir;
  }

  private static byte[] example(long[] ids, long[] docLengths) {
    return field(1, concat(entry("input_ids", ids), entry("doc_lengths", docLengths)));
  }

  private static byte[] entry(String key, long[] values) {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    for (long value : values) {
      varint(packed, value);
    }
    byte[] list = field(1, packed.toByteArray());
    byte[] feature = field(3, list);
    return field(1, concat(field(1, key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), field(2, feature)));
  }

  private static byte[] field(int number, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, number << 3 | 2);
    varint(out, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static void writeRecord(OutputStream out, byte[] data) throws IOException {
    byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.write(length);
    out.write(le(masked(length)));
    out.write(data);
    out.write(le(masked(data)));
  }

  private static int masked(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }

  private static byte[] le(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }
}
