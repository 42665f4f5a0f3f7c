package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** The MLM head's transform ({@code head}): {@code LayerNorm(GELU(h · denseᵀ))}, before the tied decoder. */
public final class PredictionHead extends ModelBlock {

  private final NoBiasLinear dense;
  private final NoBiasLayerNorm norm;

  public PredictionHead(ModernBertConfig config) {
    int h = config.hiddenSize();
    // σ as in the original recipe (FlexBERT's full_megatron init); HF's _init_weights uses σ/√(2L) here
    this.dense = addChildBlock("dense", new NoBiasLinear(h, h, config.initializerRange()));
    this.norm = addChildBlock("norm", new NoBiasLayerNorm(h, config.normEps()));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray h, boolean training) {
    return norm.forward(ps, Mlp.gelu(dense.forward(ps, h, training)), training);
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    dense.visitParameters(prefix + "dense.", visitor);
    norm.visitParameters(prefix + "norm.", visitor);
  }
}
