package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * softmax(q·kᵀ·scale + mask)·v for the heads of one layer, global or over the sliding window, with the masks of
 * {@link AttentionMasks}; q, k, v and the result are [B, heads, S, d]. Two implementations give the same numbers
 * (within float rounding): {@link EagerAttention} in DJL's NDArray ops and {@link FusedAttention} in PyTorch's fused
 * kernels.
 */
interface ScaledDotProductAttention {

  NDArray global(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks, boolean training);

  NDArray local(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks, boolean training);

  /** The implementation a config asks for. */
  static ScaledDotProductAttention of(ModernBertConfig config) {
    return switch (config.attention().resolve()) {
      case EAGER -> new EagerAttention(config.numAttentionHeads(), config.headDim(), config.attentionDropout());
      case FUSED -> new FusedAttention(config.attentionDropout(), config.attentionPrecision());
      case AUTO -> throw new IllegalStateException("AUTO resolves to FUSED or EAGER");
    };
  }
}
