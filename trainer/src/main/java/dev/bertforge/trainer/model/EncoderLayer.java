package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * One pre-norm transformer layer ({@code model.layers.N}): {@code h += attn(attn_norm(h))},
 * {@code h += mlp(mlp_norm(h))}. Layer 0 has no {@code attn_norm}: the embedding LayerNorm already normalised its
 * input.
 */
public final class EncoderLayer extends ModelBlock {

  private final NoBiasLayerNorm attnNorm;
  private final Attention attn;
  private final NoBiasLayerNorm mlpNorm;
  private final Mlp mlp;

  public EncoderLayer(ModernBertConfig config, int layer) {
    this.attnNorm = layer == 0 ? null
        : addChildBlock("attn_norm", new NoBiasLayerNorm(config.hiddenSize(), config.normEps()));
    this.attn = addChildBlock("attn", new Attention(config, layer));
    this.mlpNorm = addChildBlock("mlp_norm", new NoBiasLayerNorm(config.hiddenSize(), config.normEps()));
    this.mlp = addChildBlock("mlp", new Mlp(config));
  }

  public boolean isGlobal() {
    return attn.isGlobal();
  }

  public NDArray forward(ParameterStore ps, NDArray h, RotaryEmbedding.Tables rope, AttentionMasks masks,
      boolean training) {
    NDArray attnIn = attnNorm == null ? h : attnNorm.forward(ps, h, training);
    h = h.add(attn.forward(ps, attnIn, rope, masks, training));
    return h.add(mlp.forward(ps, mlpNorm.forward(ps, h, training), training));
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    if (attnNorm != null) {
      attnNorm.visitParameters(prefix + "attn_norm.", visitor);
    }
    attn.visitParameters(prefix + "attn.", visitor);
    mlpNorm.visitParameters(prefix + "mlp_norm.", visitor);
    mlp.visitParameters(prefix + "mlp.", visitor);
  }
}
