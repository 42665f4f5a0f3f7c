package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Multi-head self-attention ({@code model.layers.N.attn}): one fused {@code Wqkv} projection whose output columns
 * are [q | k | v], each head-major; RoPE on q and k; softmax attention, global or over the ±window neighbours, by
 * the {@link ScaledDotProductAttention} the config names; then {@code Wo} and, in training, the recipe's output
 * dropout.
 */
public final class Attention extends ModelBlock {

  private final NoBiasLinear wqkv;
  private final NoBiasLinear wo;
  private final boolean global;
  private final int heads;
  private final int headDim;
  private final float outputDropout;
  private final ScaledDotProductAttention attention;

  public Attention(ModernBertConfig config, int layer) {
    int h = config.hiddenSize();
    double outStd = config.initializerRange() / Math.sqrt(2.0 * config.numHiddenLayers());
    this.wqkv = addChildBlock("Wqkv", new NoBiasLinear(h, 3 * h, config.initializerRange()));
    this.wo = addChildBlock("Wo", new NoBiasLinear(h, h, outStd));
    this.global = config.isGlobalLayer(layer);
    this.heads = config.numAttentionHeads();
    this.headDim = config.headDim();
    this.outputDropout = config.attentionOutputDropout();
    this.attention = ScaledDotProductAttention.of(config);
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
    NDArray context = global ? attention.global(q, k, v, rope.scoreScale, masks, training)
        : attention.local(q, k, v, rope.scoreScale, masks, training);
    NDArray merged = context.transpose(0, 2, 1, 3).reshape(b, s, (long) heads * headDim);
    NDArray out = wo.forward(ps, merged, training);
    return dropout(out, outputDropout, training);
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
