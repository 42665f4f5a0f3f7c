package dev.bertforge.transforms.shards;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Packs segments into rows of at most {@code maxSeqLen} tokens, greedy best fit: each segment goes into the open row
 * with the least room that still holds it (ModernBERT's {@code GreedyBestFitSequencePacker} rule), or opens a new row.
 * Unlike a streaming packer it sees a whole shard, so it places the longest segments first (best fit decreasing),
 * which leaves only the last few rows of a shard partly empty. Among rows with the same room, the oldest wins.
 */
final class BestFitPacker {
  private BestFitPacker() {}

  /** The rows, in the order they were opened (longest segments first); the input order breaks length ties. */
  static List<TokenRow> pack(List<Segment> segments, int maxSeqLen) {
    List<Segment> longestFirst = new ArrayList<>(segments);
    longestFirst.sort(Comparator.comparingInt(Segment::length).reversed()); // stable: ties keep the input order
    List<TokenRow> rows = new ArrayList<>();
    // openRows[r] holds the indices of rows with exactly r free tokens (r > 0), lowest first (the tie rule);
    // withRoom marks the non-empty ones
    List<PriorityQueue<Integer>> openRows = new ArrayList<>(maxSeqLen + 1);
    for (int r = 0; r <= maxSeqLen; r++) {
      openRows.add(new PriorityQueue<>());
    }
    BitSet withRoom = new BitSet(maxSeqLen + 1);
    for (Segment segment : longestFirst) {
      int length = segment.length();
      if (length > maxSeqLen) {
        throw new IllegalArgumentException("a segment of " + length + " tokens is longer than a row (" + maxSeqLen + ")");
      }
      int room = withRoom.nextSetBit(length);
      int row;
      if (room < 0) {
        row = rows.size();
        rows.add(TokenRow.of(segment));
      } else {
        row = openRows.get(room).poll();
        if (openRows.get(room).isEmpty()) {
          withRoom.clear(room);
        }
        rows.get(row).add(segment);
      }
      int left = maxSeqLen - rows.get(row).length();
      if (left > 0) {
        openRows.get(left).add(row);
        withRoom.set(left);
      }
    }
    return rows;
  }
}
