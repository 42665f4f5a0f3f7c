package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Multi-head self-attention ({@code model.layers.N.attn}): one fused {@code Wqkv} projection whose output columns
 * are [q | k | v], each head-major; RoPE on q and k; softmax attention, global or over the ±window neighbours; then
 * {@code Wo} and, in training, the recipe's output dropout.
 *
 * <p>Global layers process queries in chunks so that no more than 256 MiB of scores exist at once (system property
 * {@value #CHUNK_BYTES_PROPERTY}); local layers process blocks of {@code window} queries
 * against their {@code 3·window} neighbouring keys (see {@link AttentionMasks}).
 */
public final class Attention extends ModelBlock {

  /** System property: upper bound in bytes on one chunk of global attention scores (default 256 MiB). */
  public static final String CHUNK_BYTES_PROPERTY = "bertforge.attention.chunkBytes";

  private final NoBiasLinear wqkv;
  private final NoBiasLinear wo;
  private final boolean global;
  private final int heads;
  private final int headDim;
  private final float probabilityDropout;
  private final float outputDropout;

  public Attention(ModernBertConfig config, int layer) {
    int h = config.hiddenSize();
    double outStd = config.initializerRange() / Math.sqrt(2.0 * config.numHiddenLayers());
    this.wqkv = addChildBlock("Wqkv", new NoBiasLinear(h, 3 * h, config.initializerRange()));
    this.wo = addChildBlock("Wo", new NoBiasLinear(h, h, outStd));
    this.global = config.isGlobalLayer(layer);
    this.heads = config.numAttentionHeads();
    this.headDim = config.headDim();
    this.probabilityDropout = config.attentionDropout();
    this.outputDropout = config.attentionOutputDropout();
  }

  public boolean isGlobal() {
    return global;
  }

  /** {@code x} [B, S, H] → [B, S, H]. */
  public NDArray forward(ParameterStore ps, NDArray x, RotaryEmbedding.Tables rope, AttentionMasks masks,
      boolean training) {
    Shape shape = x.getShape();
    long b = shape.get(0);
    long s = shape.get(1);
    NDArray qkv = wqkv.forward(ps, x, training)
        .reshape(b, s, 3, heads, headDim)
        .transpose(2, 0, 3, 1, 4); // [3, B, heads, S, d], a view
    NDList qkAndV = qkv.split(new long[] {2}, 0);
    NDArray qk = rope.rotate(qkAndV.get(0)); // contiguous, so q and k below are views
    NDList qAndK = qk.split(2, 0);
    NDArray q = qAndK.get(0).squeeze(0);
    NDArray k = qAndK.get(1).squeeze(0);
    NDArray v = qkAndV.get(1).squeeze(0);
    NDArray context = global ? globalAttention(q, k, v, rope.scoreScale, masks, training)
        : localAttention(q, k, v, rope.scoreScale, masks, training);
    NDArray merged = context.transpose(0, 2, 1, 3).reshape(b, s, (long) heads * headDim);
    NDArray out = wo.forward(ps, merged, training);
    return dropout(out, outputDropout, training);
  }

  /** q, k, v [B, heads, S, d] → [B, heads, S, d]. */
  private NDArray globalAttention(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks,
      boolean training) {
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

  /** q, k, v [B, heads, S, d] → [B, heads, S, d], each query block against its neighbouring key blocks. */
  private NDArray localAttention(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks,
      boolean training) {
    Shape shape = q.getShape();
    long b = shape.get(0);
    long s = shape.get(2);
    int w = masks.window();
    long blocks = s / w;
    NDArray qBlocks = q.reshape(b, heads, blocks, w, headDim);
    NDArray kBlocks = neighbourBlocks(k, masks).transpose(0, 1, 2, 4, 3);
    NDArray vBlocks = neighbourBlocks(v, masks);
    return attend(qBlocks, kBlocks, vBlocks, scale, masks.local(), training).reshape(b, heads, s, headDim);
  }

  /**
   * [B, heads, S, d] → [B, heads, blocks, 3w, d]: for each block of w tokens the previous, own and next block, by
   * one indexed gather (its gradient is one scatter-add). At the ends the missing neighbour is replaced by the
   * block itself; the mask hides those keys, since their positions fall outside the sequence.
   */
  private NDArray neighbourBlocks(NDArray x, AttentionMasks masks) {
    Shape shape = x.getShape();
    int w = masks.window();
    long blocks = shape.get(2) / w;
    return x.reshape(shape.get(0), heads, blocks, w, headDim)
        .get(new NDIndex(":, :, {}", masks.neighbourBlockIndex()))
        .reshape(shape.get(0), heads, blocks, 3L * w, headDim);
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
    NDArray probabilities = dropout(scores.softmax(-1), probabilityDropout, training);
    return probabilities.matMul(v);
  }

  static NDArray dropout(NDArray x, float rate, boolean training) {
    if (!training || rate == 0f) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    wqkv.visitParameters(prefix + "Wqkv.", visitor);
    wo.visitParameters(prefix + "Wo.", visitor);
  }
}
