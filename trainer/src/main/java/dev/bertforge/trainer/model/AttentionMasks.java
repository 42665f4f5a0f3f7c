package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The additive attention masks of one forward pass (0 = attend, {@link #BLOCKED} = do not), built once and shared by
 * every layer of a kind.
 *
 * <p>A key is visible to a query when both are in the same document of the row (or, for rows described by an HF
 * attention mask, when the key is a real token) and, in local layers, when {@code |i − j| <= window}. This is
 * exactly transformers' eager mask; rows of padding queries are junk that nothing reads.
 *
 * <p>Local layers work on query blocks of {@code window} tokens, each against the keys of its own block and the
 * blocks on either side ({@code 3·window} keys, of which at most {@code 2·window + 1} are visible), so the mask is
 * {@code [B, 1, blocks, window, 3·window]}: memory grows with sequence × window, not sequence². Global layers take
 * a key-padding mask {@code [B, 1, 1, S]} (none at all when nothing is padding); packed rows need a
 * block-diagonal mask, made per query chunk on demand so that no {@code S × S} mask is ever held.
 */
public final class AttentionMasks {

  /** transformers' "masked" value: {@code torch.finfo(float32).min}. */
  public static final float BLOCKED = -Float.MAX_VALUE;

  private final int window;
  private final int length;
  private final NDArray local;
  private final NDArray globalKeys;
  private final NDArray docIds;
  private final NDArray neighbourBlockIndex;

  private AttentionMasks(int window, int length, NDArray local, NDArray globalKeys, NDArray docIds,
      NDArray neighbourBlockIndex) {
    this.window = window;
    this.length = length;
    this.local = local;
    this.globalKeys = globalKeys;
    this.docIds = docIds;
    this.neighbourBlockIndex = neighbourBlockIndex;
  }

  /** Masks for {@code input}, whose length must be a multiple of {@code window}. */
  public static AttentionMasks build(EncoderInput input, int window, NDManager manager) {
    int b = input.batchSize();
    int s = input.length();
    if (s % window != 0) {
      throw new IllegalArgumentException("sequence length " + s + " is not a multiple of the window " + window);
    }
    int blocks = s / window;
    int keys = 3 * window;
    boolean packed = input.isPacked();
    float[] local = new float[b * blocks * window * keys];
    int at = 0;
    for (int r = 0; r < b; r++) {
      for (int blk = 0; blk < blocks; blk++) {
        for (int qi = 0; qi < window; qi++) {
          int q = blk * window + qi;
          int qDoc = input.docId(r, q);
          for (int kj = 0; kj < keys; kj++) {
            int k = (blk - 1) * window + kj;
            boolean visible = k >= 0 && k < s && Math.abs(q - k) <= window;
            if (visible) {
              int kDoc = input.docId(r, k);
              visible = packed ? kDoc == qDoc : kDoc != EncoderInput.PADDING;
            }
            local[at++] = visible ? 0f : BLOCKED;
          }
        }
      }
    }
    NDArray localMask = manager.create(local, new Shape(b, 1, blocks, window, keys));
    NDArray globalKeys = null;
    NDArray docIds = null;
    if (packed) {
      float[] docs = new float[b * s];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = input.docIds()[i];
      }
      docIds = manager.create(docs, new Shape(b, s));
    } else if (input.hasPadding()) {
      float[] keyMask = new float[b * s];
      for (int i = 0; i < keyMask.length; i++) {
        keyMask[i] = input.docIds()[i] == EncoderInput.PADDING ? BLOCKED : 0f;
      }
      globalKeys = manager.create(keyMask, new Shape(b, 1, 1, s));
    }
    long[] neighbours = new long[3 * blocks];
    for (int blk = 0; blk < blocks; blk++) {
      for (int j = 0; j < 3; j++) {
        neighbours[3 * blk + j] = Math.min(blocks - 1, Math.max(0, blk - 1 + j)); // masked where clamped
      }
    }
    return new AttentionMasks(window, s, localMask, globalKeys, docIds, manager.create(neighbours));
  }

  public int window() {
    return window;
  }

  /** {@code [B, 1, blocks, window, 3·window]}. */
  public NDArray local() {
    return local;
  }

  /**
   * The global mask for queries {@code from} (inclusive) to {@code to} (exclusive), broadcastable to
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

  /** [3 · blocks] int64: query block b reads key blocks b − 1, b, b + 1 (clamped at the ends, where masked). */
  public NDArray neighbourBlockIndex() {
    return neighbourBlockIndex;
  }

  public int length() {
    return length;
  }
}
