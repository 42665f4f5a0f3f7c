package dev.bertforge.finetune;

import dev.bertforge.trainer.model.EncoderInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Encoded examples grouped into padded batches. Training batches are length-grouped: the epoch's shuffled order is
 * cut into pools of 50 batches, each pool sorted by length and cut into batches, and the batches shuffled, so a
 * batch pads to a length close to its own texts' (less padding than random batches, as transformers'
 * {@code group_by_length}) while the order stays random.
 */
final class Batches {

  private static final int POOL_BATCHES = 50;

  /** One example's ids and target (label id, or value). */
  record Encoded(long[] ids, float target) {}

  /** A padded batch: the encoder input and one target per row. */
  record Batch(EncoderInput input, float[] targets, int[] rows) {
    int size() {
      return targets.length;
    }
  }

  private Batches() {}

  static List<Batch> shuffled(List<Encoded> examples, int batchSize, long seed, int padId) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      order.add(i);
    }
    Random random = new Random(seed);
    Collections.shuffle(order, random);
    List<List<Integer>> groups = new ArrayList<>();
    int pool = batchSize * POOL_BATCHES;
    for (int start = 0; start < order.size(); start += pool) {
      List<Integer> part = new ArrayList<>(order.subList(start, Math.min(order.size(), start + pool)));
      part.sort(Comparator.comparingInt(i -> examples.get(i).ids().length));
      for (int b = 0; b < part.size(); b += batchSize) {
        groups.add(part.subList(b, Math.min(part.size(), b + batchSize)));
      }
    }
    Collections.shuffle(groups, random);
    List<Batch> batches = new ArrayList<>();
    for (List<Integer> group : groups) {
      batches.add(batch(examples, group, padId));
    }
    return batches;
  }

  /** In order (evaluation), sorted by length within runs of batches so that little is padded; rows say where. */
  static List<Batch> inOrder(List<Encoded> examples, int batchSize, int padId) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> examples.get(i).ids().length));
    List<Batch> batches = new ArrayList<>();
    for (int b = 0; b < order.size(); b += batchSize) {
      batches.add(batch(examples, order.subList(b, Math.min(order.size(), b + batchSize)), padId));
    }
    return batches;
  }

  private static Batch batch(List<Encoded> examples, List<Integer> rows, int padId) {
    long[][] ids = new long[rows.size()][];
    int[][] mask = new int[rows.size()][];
    float[] targets = new float[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      Encoded e = examples.get(rows.get(r));
      ids[r] = e.ids();
      mask[r] = new int[e.ids().length];
      Arrays.fill(mask[r], 1);
      targets[r] = e.target();
    }
    return new Batch(EncoderInput.ofAttentionMask(ids, mask, padId), targets,
        rows.stream().mapToInt(Integer::intValue).toArray());
  }
}
