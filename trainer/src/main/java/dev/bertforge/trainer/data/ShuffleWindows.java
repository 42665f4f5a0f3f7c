package dev.bertforge.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups the shards of one epoch into shuffle windows: the shard order is a seeded permutation per epoch
 * (or file order without shuffling), and consecutive shards join a window while their bytes fit the
 * window budget. Rows are shuffled within a window, so the budget bounds memory, not shuffle quality
 * across shards (the shard order changes every epoch).
 */
final class ShuffleWindows {
  private final List<ShardSet.Shard> shards;
  private final long seed;
  private final boolean shuffle;
  private final long windowBytes;

  ShuffleWindows(List<ShardSet.Shard> shards, long seed, boolean shuffle, long windowBytes) {
    this.shards = shards;
    this.seed = seed;
    this.shuffle = shuffle;
    this.windowBytes = windowBytes;
  }

  /** The windows of {@code epoch}, each a list of indices into the shard list. */
  List<List<Integer>> of(int epoch) {
    int[] order = shuffle
        ? new SeededRandom(seed, 0x5_4A4D_0000L, epoch).permutation(shards.size())
        : identity(shards.size());
    List<List<Integer>> windows = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    long bytes = 0;
    for (int index : order) {
      long size = shards.get(index).bytes();
      if (!current.isEmpty() && bytes + size > windowBytes) {
        windows.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(index);
      bytes += size;
    }
    windows.add(current);
    return windows;
  }

  /** The order in which rows of window {@code window} of {@code epoch} are read. */
  int[] rowOrder(int epoch, int window, int rows) {
    return shuffle ? new SeededRandom(seed, 0x5_0000_4F57L, epoch, window).permutation(rows) : identity(rows);
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
