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
 * <p>Global layers process queries in chunks so that no more than {@link #CHUNK_BYTES} of scores exist at once
 * (system property {@code bertforge.attention.chunkBytes}); local layers process blocks of {@code window} queries
 * against their {@code 3·window} neighbouring keys (see {@link AttentionMasks}).
 */
public final class Attention extends ModelBlock {

  /** Upper bound on one chunk of global attention scores, in bytes. */
  static final long CHUNK_BYTES = Long.getLong("bertforge.attention.chunkBytes", 256L << 20);

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
    NDArray qk = rope.rotate(qkv.get(new NDIndex(":2")));
    NDArray q = qk.get(0);
    NDArray k = qk.get(1);
    NDArray v = qkv.get(2);
    NDArray context = global ? globalAttention(q, k, v, rope.scoreScale, masks, training)
        : localAttention(q, k, v, rope.scoreScale, masks, training);
    NDArray merged = context.transpose(0, 2, 1, 3).reshape(b, s, (long) heads * headDim);
    NDArray out = wo.forward(ps, merged, training);
    return dropout(out, outputDropout, training);
  }

  private NDArray globalAttention(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks,
      boolean training) {
    Shape shape = q.getShape();
    int s = (int) shape.get(2);
    long bytesPerQuery = shape.get(0) * heads * (long) s * Float.BYTES;
    int window = masks.window();
    int chunk = (int) Math.max(window, CHUNK_BYTES / bytesPerQuery / window * window);
    NDArray kT = k.transpose(0, 1, 3, 2);
    if (chunk >= s) {
      return attend(q, kT, v, scale, masks.global(0, s), training);
    }
    NDList parts = new NDList();
    for (int from = 0; from < s; from += chunk) {
      int to = Math.min(s, from + chunk);
      NDArray qChunk = q.get(new NDIndex(":, :, {}:{}", from, to));
      parts.add(attend(qChunk, kT, v, scale, masks.global(from, to), training));
    }
    return NDArrays.concat(parts, 2);
  }

  private NDArray localAttention(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks,
      boolean training) {
    Shape shape = q.getShape();
    long b = shape.get(0);
    long s = shape.get(2);
    int w = masks.window();
    long blocks = s / w;
    NDArray qBlocks = q.reshape(b, heads, blocks, w, headDim);
    NDArray kBlocks = neighbourBlocks(k, blocks, w).transpose(0, 1, 2, 4, 3);
    NDArray vBlocks = neighbourBlocks(v, blocks, w);
    return attend(qBlocks, kBlocks, vBlocks, scale, masks.local(), training).reshape(b, heads, s, headDim);
  }

  /** [B, heads, S, d] → [B, heads, blocks, 3w, d]: for each block of w tokens, the previous, own and next block. */
  private NDArray neighbourBlocks(NDArray x, long blocks, int w) {
    Shape shape = x.getShape();
    NDArray zeros = x.getManager().zeros(new Shape(shape.get(0), heads, w, headDim), x.getDataType(), x.getDevice());
    NDArray padded = NDArrays.concat(new NDList(zeros, x, zeros), 2)
        .reshape(shape.get(0), heads, blocks + 2, w, headDim);
    return NDArrays.concat(new NDList(
        padded.get(new NDIndex(":, :, 0:{}", blocks)),
        padded.get(new NDIndex(":, :, 1:{}", blocks + 1)),
        padded.get(new NDIndex(":, :, 2:{}", blocks + 2))), 3);
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
