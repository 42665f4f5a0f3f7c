package dev.bertforge.trainer.data;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordReaderTest {
  private static final String SHARD0 = "tokens-00000-of-00002.tfrecord";

  @TempDir Path tmp;

  @Test
  void readsTensorFlowRecordsWithTheirOffsets() throws IOException {
    List<TokenRow> rows = new ArrayList<>();
    try (TfRecordReader reader = new TfRecordReader(ShardFixtures.folder("plain").resolve(SHARD0))) {
      for (byte[] record = reader.next(); record != null; record = reader.next()) {
        assertEquals(ShardFixtures.offset(0, rows.size()), reader.lastRecordOffset());
        rows.add(ExampleDecoder.decode(record));
      }
      assertNull(reader.next());
    }
    assertEquals(ShardFixtures.rows(0), rows);
  }

  @Test
  void readsGzipShards() throws IOException {
    List<TokenRow> rows = new ArrayList<>();
    try (TfRecordReader reader = new TfRecordReader(ShardFixtures.folder("gzip").resolve(SHARD0 + ".gz"))) {
      for (byte[] record = reader.next(); record != null; record = reader.next()) {
        rows.add(ExampleDecoder.decode(record));
      }
    }
    assertEquals(ShardFixtures.rows(0), rows);
  }

  @Test
  void flippedPayloadByteIsADataCrcErrorAtItsRecord() throws IOException {
    long offset = ShardFixtures.offset(0, 3);
    Path shard = damaged(bytes -> bytes[(int) offset + 12 + 5] ^= 0x40);
    CorruptShardException e = assertThrows(CorruptShardException.class, () -> readAll(shard));
    assertEquals(offset, e.byteOffset());
    assertThat(e.getMessage(), containsString(shard + ": corrupt record at byte offset " + offset));
    assertThat(e.getMessage(), containsString("data CRC mismatch"));
  }

  @Test
  void flippedLengthByteIsALengthCrcError() throws IOException {
    long offset = ShardFixtures.offset(0, 5);
    Path shard = damaged(bytes -> bytes[(int) offset] ^= 0x01);
    CorruptShardException e = assertThrows(CorruptShardException.class, () -> readAll(shard));
    assertEquals(offset, e.byteOffset());
    assertThat(e.getMessage(), containsString("length CRC mismatch"));
  }

  @Test
  void damagedDataCrcIsReported() throws IOException {
    long offset = ShardFixtures.offset(0, 1);
    long next = ShardFixtures.offset(0, 2);
    Path shard = damaged(bytes -> bytes[(int) next - 1] ^= 0x10);
    CorruptShardException e = assertThrows(CorruptShardException.class, () -> readAll(shard));
    assertEquals(offset, e.byteOffset());
    assertThat(e.getMessage(), containsString("data CRC mismatch"));
  }

  @Test
  void truncatedShardsAreReportedNotSilentlyShortened() throws IOException {
    long lastOffset = ShardFixtures.offset(0, 11);
    Path midData = truncated((int) lastOffset + 20);
    CorruptShardException e = assertThrows(CorruptShardException.class, () -> readAll(midData));
    assertEquals(lastOffset, e.byteOffset());
    assertThat(e.getMessage(), containsString("truncated data"));

    Path midHeader = truncated((int) lastOffset + 5);
    e = assertThrows(CorruptShardException.class, () -> readAll(midHeader));
    assertThat(e.getMessage(), containsString("truncated header (5 of 12 bytes)"));
  }

  private Path truncated(int length) throws IOException {
    byte[] bytes = Files.readAllBytes(ShardFixtures.folder("plain").resolve(SHARD0));
    Path shard = tmp.resolve("cut.tfrecord");
    Files.write(shard, Arrays.copyOf(bytes, length));
    return shard;
  }

  private Path damaged(java.util.function.Consumer<byte[]> damage) throws IOException {
    byte[] bytes = Files.readAllBytes(ShardFixtures.folder("plain").resolve(SHARD0));
    damage.accept(bytes);
    Path shard = tmp.resolve("damaged.tfrecord");
    Files.write(shard, bytes);
    return shard;
  }

  private static void readAll(Path shard) throws IOException {
    try (TfRecordReader reader = new TfRecordReader(shard)) {
      while (reader.next() != null) {
        // reading is the test
      }
    }
  }
}
