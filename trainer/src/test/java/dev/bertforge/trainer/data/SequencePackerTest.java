package dev.bertforge.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequencePackerTest {

  @Test
  void packsConsecutiveRowsUpToTheLengthKeepingDocuments() throws IOException {
    int max = 64;
    List<TokenRow> packed = new ArrayList<>();
    try (SequencePacker packer = new SequencePacker(
        ShuffledRowsTest.stream("plain", 0, false, 1 << 20, max, false, DataPosition.START), max, true)) {
      for (TokenRow row = packer.next(); row != null; row = packer.next()) {
        assertTrue(row.length() <= max);
        packed.add(row);
      }
    }
    List<TokenRow> rows = ShardFixtures.allRows();
    assertTrue(packed.size() < rows.size(), "nothing was packed");
    assertArrayEquals(flatten(rows, true), flatten(packed, true));
    assertArrayEquals(flatten(rows, false), flatten(packed, false));
  }

  @Test
  void resumingFromAPositionRepeatsTheHeldBackRow() throws IOException {
    List<TokenRow> reference = take(DataPosition.START, 30);
    for (int stop : new int[] {1, 4, 11, 19}) {
      DataPosition position;
      try (SequencePacker packer = packer(DataPosition.START)) {
        for (int i = 0; i < stop; i++) {
          packer.next();
        }
        position = packer.position();
      }
      assertTrue(reference.subList(stop, 30).equals(take(position, 30 - stop)), "resumed after " + stop);
    }
  }

  private static List<TokenRow> take(DataPosition start, int n) throws IOException {
    List<TokenRow> taken = new ArrayList<>();
    try (SequencePacker packer = packer(start)) {
      for (int i = 0; i < n; i++) {
        taken.add(packer.next());
      }
    }
    return taken;
  }

  private static SequencePacker packer(DataPosition start) throws IOException {
    return new SequencePacker(ShuffledRowsTest.stream("plain", 9, true, 1, 40, true, start), 40, true);
  }

  private static int[] flatten(List<TokenRow> rows, boolean ids) {
    return rows.stream().flatMapToInt(r -> IntStream.of(ids ? r.inputIds() : r.docLengths())).toArray();
  }
}
