package dev.bertforge.trainer.data;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShuffledRowsTest {
  private static final int LONG_ENOUGH = 1 << 20;

  @TempDir Path tmp;

  @Test
  void withoutShuffleRowsComeInFileOrderAndTheStreamEnds() throws IOException {
    try (ShuffledRows rows = stream("plain", 0, false, LONG_ENOUGH, false, DataPosition.START)) {
      assertEquals(ShardFixtures.allRows(), take(rows, 21));
      assertNull(rows.next());
    }
  }

  @Test
  void shuffleIsAPermutationFixedByTheSeedAndNewEachEpoch() throws IOException {
    List<TokenRow> epoch0;
    List<TokenRow> epoch1;
    try (ShuffledRows rows = stream("plain", 17, true, LONG_ENOUGH, true, DataPosition.START)) {
      epoch0 = take(rows, 21);
      epoch1 = take(rows, 21);
    }
    assertThat(epoch0, containsInAnyOrder(ShardFixtures.allRows().toArray()));
    assertThat(epoch1, containsInAnyOrder(ShardFixtures.allRows().toArray()));
    assertThat(epoch0, not(ShardFixtures.allRows()));
    assertThat(epoch1, not(epoch0));
    try (ShuffledRows again = stream("plain", 17, true, LONG_ENOUGH, true, DataPosition.START);
        ShuffledRows otherSeed = stream("plain", 18, true, LONG_ENOUGH, true, DataPosition.START)) {
      assertEquals(epoch0, take(again, 21));
      assertThat(take(otherSeed, 21), not(epoch0));
    }
  }

  @Test
  void smallWindowsStillCoverEveryRowOnce() throws IOException {
    try (ShuffledRows rows = stream("plain", 3, true, 1, true, DataPosition.START)) {
      List<TokenRow> epoch = take(rows, 21);
      assertThat(epoch, containsInAnyOrder(ShardFixtures.allRows().toArray()));
      // one shard per window: the first rows all come from one shard
      List<TokenRow> first = epoch.subList(0, 9);
      assertTrue(ShardFixtures.rows(0).containsAll(first) || ShardFixtures.rows(1).containsAll(first));
    }
  }

  @Test
  void longRowsAreCutIntoPiecesWithTheirDocuments() throws IOException {
    int max = 10;
    List<TokenRow> pieces = new ArrayList<>();
    try (ShuffledRows rows = stream("plain", 0, false, LONG_ENOUGH, max, false, DataPosition.START)) {
      for (TokenRow piece = rows.next(); piece != null; piece = rows.next()) {
        assertTrue(piece.length() <= max, "piece of " + piece.length());
        pieces.add(piece);
      }
    }
    int at = 0;
    for (TokenRow row : ShardFixtures.allRows()) {
      int[] joined = new int[0];
      while (joined.length < row.length()) {
        joined = concat(joined, pieces.get(at++).inputIds());
      }
      assertArrayEquals(row.inputIds(), joined);
    }
    assertEquals(at, pieces.size());
    TokenRow cut = new TokenRow(IntStream.range(0, 12).toArray(), new int[] {4, 8}).piece(0, 6);
    assertArrayEquals(new int[] {4, 2}, cut.docLengths());
    TokenRow rest = new TokenRow(IntStream.range(0, 12).toArray(), new int[] {4, 8}).piece(1, 6);
    assertArrayEquals(new int[] {6}, rest.docLengths());
  }

  @Test
  void aStreamStartedAtAPositionContinuesExactly() throws IOException {
    List<TokenRow> reference;
    try (ShuffledRows rows = stream("plain", 5, true, 1, 10, true, DataPosition.START)) {
      reference = take(rows, 120);
    }
    for (int stop : new int[] {1, 7, 33, 58, 100}) {
      DataPosition position;
      try (ShuffledRows rows = stream("plain", 5, true, 1, 10, true, DataPosition.START)) {
        take(rows, stop);
        position = rows.position();
      }
      try (ShuffledRows resumed = stream("plain", 5, true, 1, 10, true, position)) {
        assertTrue(reference.subList(stop, 120).equals(take(resumed, 120 - stop)), "resumed after " + stop);
      }
    }
  }

  @Test
  void idsOutsideTheVocabularyAreCorruptRecords() throws IOException {
    ShardSet shards = ShardSet.open(ShardFixtures.folder("plain").toString());
    try (ShuffledRows rows = new ShuffledRows(shards, 0, false, LONG_ENOUGH, 100, 999, false, DataPosition.START)) {
      CorruptShardException e = assertThrows(CorruptShardException.class, () -> rows.next());
      assertEquals(ShardFixtures.offset(0, 0), e.byteOffset());
      assertThat(e.getMessage(), containsString("token id 999 is outside the vocabulary of 999"));
    }
  }

  @Test
  void aCorruptRecordStopsTheStreamNamingShardAndOffset() throws IOException {
    Path folder = ShardFixtures.copyOfPlain(tmp);
    Path shard = folder.resolve("tokens-00001-of-00002.tfrecord");
    byte[] bytes = Files.readAllBytes(shard);
    long offset = ShardFixtures.offset(1, 4);
    bytes[(int) offset + 20] ^= 1;
    Files.write(shard, bytes);
    try (ShuffledRows rows = new ShuffledRows(ShardSet.open(folder.toString()), 0, false, LONG_ENOUGH, 100, 1000,
        false, DataPosition.START)) {
      CorruptShardException e = assertThrows(CorruptShardException.class, () -> take(rows, 21));
      assertEquals(shard, e.shard());
      assertEquals(offset, e.byteOffset());
    }
  }

  static ShuffledRows stream(String kind, long seed, boolean shuffle, long windowBytes, boolean loop,
      DataPosition start) throws IOException {
    return stream(kind, seed, shuffle, windowBytes, 1000, loop, start);
  }

  static ShuffledRows stream(String kind, long seed, boolean shuffle, long windowBytes, int maxLength,
      boolean loop, DataPosition start) throws IOException {
    ShardSet shards = ShardSet.open(ShardFixtures.folder(kind).toString());
    return new ShuffledRows(shards, seed, shuffle, windowBytes, maxLength, 1000, loop, start);
  }

  static List<TokenRow> take(ShuffledRows rows, int n) throws IOException {
    List<TokenRow> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      taken.add(rows.next());
    }
    return taken;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
