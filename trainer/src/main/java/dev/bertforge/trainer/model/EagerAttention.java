package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Attention in DJL's NDArray ops: the scores are materialised, as transformers' eager attention does. Global layers
 * process queries in chunks so that no more than 256 MiB of scores exist at once in the forward pass (system
 * property {@value #CHUNK_BYTES_PROPERTY}); the backward pass still keeps heads × S² probabilities per layer. Local
 * layers process blocks of {@code window} queries against their {@code 3·window} neighbouring keys.
 */
final class EagerAttention implements ScaledDotProductAttention {

  /** System property: upper bound in bytes on one chunk of global attention scores (default 256 MiB). */
  public static final String CHUNK_BYTES_PROPERTY = "bertforge.attention.chunkBytes";

  private final int heads;
  private final int headDim;
  private final float probabilityDropout;

  EagerAttention(int heads, int headDim, float probabilityDropout) {
    this.heads = heads;
    this.headDim = headDim;
    this.probabilityDropout = probabilityDropout;
  }

  @Override
  public NDArray global(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks, boolean training) {
    Shape shape = q.getShape();
    int s = (int) shape.get(2);
    long bytesPerQuery = shape.get(0) * heads * (long) s * Float.BYTES;
    int window = masks.window();
    long budget = Long.getLong(CHUNK_BYTES_PROPERTY, 256L << 20);
    int chunk = (int) Math.min(s, Math.max(window, budget / bytesPerQuery / window * window));
    NDArray kT = k.transpose(0, 1, 3, 2);
    if (chunk >= s) {
      return attend(q, kT, v, scale, masks.global(0, s), training);
    }
    long[] boundaries = new long[(s - 1) / chunk];
    for (int i = 0; i < boundaries.length; i++) {
      boundaries[i] = (long) (i + 1) * chunk;
    }
    NDList queryChunks = q.split(boundaries, 2); // views; the gradient is one concatenation
    NDList parts = new NDList();
    for (int i = 0; i < queryChunks.size(); i++) {
      int from = i * chunk;
      int to = Math.min(s, from + chunk);
      NDArray queries = queryChunks.get(i);
      parts.add(Scoped.run(() -> attend(queries, kT, v, scale, masks.global(from, to), training)));
    }
    return NDArrays.concat(parts, 2);
  }

  /** Each query block against its neighbouring key blocks. */
  @Override
  public NDArray local(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks, boolean training) {
    Shape shape = q.getShape();
    long b = shape.get(0);
    long s = shape.get(2);
    int w = masks.window();
    NDArray qBlocks = q.reshape(b, heads, s / w, w, headDim);
    NDArray kBlocks = masks.neighbourBlocks(k).transpose(0, 1, 2, 4, 3);
    NDArray vBlocks = masks.neighbourBlocks(v);
    return attend(qBlocks, kBlocks, vBlocks, scale, masks.local(), training).reshape(b, heads, s, headDim);
  }

  /** softmax(q·kT·scale + mask) · v (scale is 1 when the RoPE tables already scaled q). */
  private NDArray attend(NDArray q, NDArray kT, NDArray v, float scale, NDArray mask, boolean training) {
    NDArray scores = q.matMul(kT);
    if (scale != 1f) {
      scores = scores.mul(scale);
    }
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probabilities = Attention.dropout(scores.softmax(-1), probabilityDropout, training);
    return probabilities.matMul(v);
  }
}
