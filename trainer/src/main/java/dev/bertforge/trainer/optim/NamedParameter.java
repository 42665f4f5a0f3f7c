package dev.bertforge.trainer.optim;

import ai.djl.ndarray.NDArray;

/**
 * A trainable tensor with its Hugging Face name; its gradient is {@code array.getGradient()}.
 *
 * @param name the state-dict key, e.g. {@code model.layers.0.attn.Wqkv.weight}
 */
public record NamedParameter(String name, NDArray array) {

  /**
   * Whether weight decay applies: the recipe decays every matrix (embeddings included) and exempts
   * vectors (LayerNorm weights) and biases ({@code ndim <= 1 or name.endswith(".bias")} in ModernBERT's
   * {@code param_groups_weight_decay}).
   */
  public boolean decays() {
    return array.getShape().dimension() >= 2 && !name.endsWith(".bias");
  }
}
