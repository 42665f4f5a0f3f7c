package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The attention masks of one forward pass, built once and shared by every layer of a kind, in the form the
 * attention implementation wants: additive float masks (0 = attend, {@link #BLOCKED} = do not) for
 * {@link EagerAttention}, boolean masks and document segments for {@link FusedAttention}.
 *
 * <p>A key is visible to a query when both are in the same document of the row (or, for rows described by an HF
 * attention mask, when the key is a real token) and, in local layers, when {@code |i − j| <= window}. This is
 * exactly transformers' eager mask; rows of padding queries are junk that nothing reads (the boolean masks also let
 * every query see itself, so that no row is empty: an empty row is NaN in the fused kernels).
 *
 * <p>Local layers work on query blocks of {@code window} tokens, each against the keys of its own block and the
 * blocks on either side ({@code 3·window} keys, of which at most {@code 2·window + 1} are visible), so the mask is
 * {@code [B, 1, blocks, window, 3·window]}: memory grows with sequence × window, not sequence² (the fused path
 * attends over short rows whole, with a banded {@code [B, 1, S, S]} mask instead). Global layers take,
 * for the eager path, a key-padding mask {@code [B, 1, 1, S]} (none at all when nothing is padding), and for packed
 * rows a block-diagonal mask made per query chunk on demand, so that no {@code S × S} mask is ever held. The fused
 * path attends within the segments of each row (its documents and its trailing padding) instead, computing no
 * score across documents; only rows whose documents are not contiguous (HF attention masks with holes) fall back to
 * a boolean {@code [B, 1, S, S]} mask.
 */
public final class AttentionMasks {

  /**
   * Fused local layers on rows at most this long attend over the whole row with a banded mask instead of by blocks:
   * at such lengths the blocks' gathers and their scatter-add backward cost more than the scores they save
   * (tiny at 256 tokens: examples/bench/trainer/throughput.sh). System property: that length (default 512).
   */
  public static final String BANDED_LOCAL_MAX_LENGTH_PROPERTY = "bertforge.attention.bandedLocalMaxLength";

  /** transformers' "masked" value: {@code torch.finfo(float32).min}. */
  public static final float BLOCKED = -Float.MAX_VALUE;

  private final int window;
  private final int length;
  private final NDArray neighbourBlockIndex;
  // eager
  private NDArray local;
  private NDArray globalKeys;
  private NDArray docIds;
  // fused
  private NDArray localVisible;
  private NDArray localBand;
  private NDArray segments;
  private NDArray globalVisible;

  private AttentionMasks(int window, int length, NDArray neighbourBlockIndex) {
    this.window = window;
    this.length = length;
    this.neighbourBlockIndex = neighbourBlockIndex;
  }

  /**
   * Masks for {@code input}, whose length must be a multiple of {@code window}: boolean masks and segments when
   * {@code fused}, additive float masks otherwise.
   */
  public static AttentionMasks build(EncoderInput input, int window, NDManager manager, boolean fused) {
    int b = input.batchSize();
    int s = input.length();
    if (s % window != 0) {
      throw new IllegalArgumentException("sequence length " + s + " is not a multiple of the window " + window);
    }
    int blocks = s / window;
    long[] neighbours = new long[3 * blocks];
    for (int blk = 0; blk < blocks; blk++) {
      for (int j = 0; j < 3; j++) {
        neighbours[3 * blk + j] = Math.min(blocks - 1, Math.max(0, blk - 1 + j)); // masked where clamped
      }
    }
    AttentionMasks masks = new AttentionMasks(window, s, manager.create(neighbours));
    Shape localShape = new Shape(b, 1, blocks, window, 3L * window);
    if (fused) {
      if (s <= Integer.getInteger(BANDED_LOCAL_MAX_LENGTH_PROPERTY, 512)) {
        masks.localBand = manager.create(rowVisibility(input, window), new Shape(b, 1, s, s));
      } else {
        masks.localVisible = manager.create(localVisibility(input, window, true), localShape);
      }
      List<long[]> runs = segments(input);
      if (runs == null) {
        masks.globalVisible = manager.create(rowVisibility(input, s), new Shape(b, 1, s, s));
      } else if (!(runs.size() == b && runs.stream().allMatch(r -> r[1] == 0 && r[2] == s && r[3] == 1))) {
        long[] flat = new long[runs.size() * 4];
        for (int i = 0; i < runs.size(); i++) {
          System.arraycopy(runs.get(i), 0, flat, 4 * i, 4);
        }
        masks.segments = manager.create(flat, new Shape(runs.size(), 4));
      } // else: one document filling every row, every key visible
      return masks;
    }
    boolean[] visible = localVisibility(input, window, false);
    float[] additive = new float[visible.length];
    for (int i = 0; i < visible.length; i++) {
      additive[i] = visible[i] ? 0f : BLOCKED;
    }
    masks.local = manager.create(additive, localShape);
    if (input.isPacked()) {
      float[] docs = new float[b * s];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = input.docIds()[i];
      }
      masks.docIds = manager.create(docs, new Shape(b, s));
    } else if (input.hasPadding()) {
      float[] keyMask = new float[b * s];
      for (int i = 0; i < keyMask.length; i++) {
        keyMask[i] = input.docIds()[i] == EncoderInput.PADDING ? BLOCKED : 0f;
      }
      masks.globalKeys = manager.create(keyMask, new Shape(b, 1, 1, s));
    }
    return masks;
  }

  /** May query {@code q} see key {@code k} of row {@code r} in a global layer? */
  private static boolean visible(EncoderInput input, int r, int q, int k) {
    int kDoc = input.docId(r, k);
    return input.isPacked() ? kDoc == input.docId(r, q) : kDoc != EncoderInput.PADDING;
  }

  /** [B, blocks, window, 3·window]: key {@code (blk − 1)·window + j} for query {@code blk·window + i}. */
  private static boolean[] localVisibility(EncoderInput input, int window, boolean selfAlwaysVisible) {
    int b = input.batchSize();
    int s = input.length();
    int blocks = s / window;
    int keys = 3 * window;
    boolean[] visible = new boolean[b * blocks * window * keys];
    int at = 0;
    for (int r = 0; r < b; r++) {
      for (int blk = 0; blk < blocks; blk++) {
        for (int qi = 0; qi < window; qi++) {
          int q = blk * window + qi;
          for (int kj = 0; kj < keys; kj++) {
            int k = (blk - 1) * window + kj;
            boolean inWindow = k >= 0 && k < s && Math.abs(q - k) <= window;
            visible[at++] = inWindow && (visible(input, r, q, k) || (selfAlwaysVisible && k == q));
          }
        }
      }
    }
    return visible;
  }

  /**
   * [B, S, S]: key {@code k} visible to query {@code q} when {@code |q − k| <= reach} (a local layer's window; the
   * row's length for a global layer) and it is visible in a global layer, every query seeing itself.
   */
  private static boolean[] rowVisibility(EncoderInput input, int reach) {
    int b = input.batchSize();
    int s = input.length();
    boolean[] visible = new boolean[b * s * s];
    for (int r = 0; r < b; r++) {
      for (int q = 0; q < s; q++) {
        for (int k = Math.max(0, q - reach); k <= Math.min(s - 1, q + reach); k++) {
          visible[(r * s + q) * s + k] = k == q || visible(input, r, q, k);
        }
      }
    }
    return visible;
  }

  /**
   * The runs of equal document id of every row, as {row, start, end, attend} (attend = 0 for padding), or
   * {@code null} when in some row a document (or, in an unpacked row, the set of real tokens) is not contiguous.
   */
  static List<long[]> segments(EncoderInput input) {
    int s = input.length();
    List<long[]> runs = new ArrayList<>();
    for (int r = 0; r < input.batchSize(); r++) {
      Set<Integer> seen = new HashSet<>();
      int start = 0;
      for (int i = 1; i <= s; i++) {
        int doc = input.docId(r, start);
        if (i < s && input.docId(r, i) == doc) {
          continue;
        }
        if (!seen.add(doc)) {
          return null;
        }
        runs.add(new long[] {r, start, i, doc == EncoderInput.PADDING ? 0 : 1});
        start = i;
      }
    }
    return runs;
  }

  public int window() {
    return window;
  }

  public int length() {
    return length;
  }

  /** Eager: {@code [B, 1, blocks, window, 3·window]}. */
  public NDArray local() {
    return local;
  }

  /**
   * Eager: the global mask for queries {@code from} (inclusive) to {@code to} (exclusive), broadcastable to
   * {@code [B, heads, to − from, S]}, or null when every key is visible to every query.
   */
  public NDArray global(int from, int to) {
    if (docIds == null) {
      return globalKeys;
    }
    NDArray queryDocs = docIds.get(new NDIndex(":, {}:{}", from, to)).expandDims(2); // [B, q, 1]
    NDArray keyDocs = docIds.expandDims(1); // [B, 1, S]
    NDArray otherDoc = queryDocs.neq(keyDocs).toType(DataType.FLOAT32, false);
    return otherDoc.mul(BLOCKED).expandDims(1);
  }

  /**
   * Fused, for rows of at most {@link #BANDED_LOCAL_MAX_LENGTH_PROPERTY} tokens: boolean {@code [B, 1, S, S]}, true
   * where a local layer's key is visible; null for longer rows (then {@link #localVisible()}).
   */
  NDArray localBand() {
    return localBand;
  }

  /** Fused, for longer rows: boolean {@code [B, 1, blocks, window, 3·window]}, true where the key is visible. */
  NDArray localVisible() {
    return localVisible;
  }

  /** Fused: int64 {@code [n, 4]} (row, start, end, attend), or null (see {@link #globalVisible()}). */
  NDArray segments() {
    return segments;
  }

  /** Fused, when the segments are null: boolean {@code [B, 1, S, S]}, or null when every key is visible. */
  NDArray globalVisible() {
    return globalVisible;
  }

  /**
   * [B, heads, S, d] → [B, heads, blocks, 3w, d]: for each block of w tokens the previous, own and next block, by
   * one indexed gather (its gradient is one scatter-add). At the ends the missing neighbour is replaced by the
   * block itself; the mask hides those keys, since their positions fall outside the sequence.
   */
  NDArray neighbourBlocks(NDArray x) {
    Shape shape = x.getShape();
    long blocks = shape.get(2) / window;
    return x.reshape(shape.get(0), shape.get(1), blocks, window, shape.get(3))
        .get(new NDIndex(":, :, {}", neighbourBlockIndex))
        .reshape(shape.get(0), shape.get(1), blocks, 3L * window, shape.get(3));
  }
}
