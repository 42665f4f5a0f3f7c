package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Attention in PyTorch's fused {@code scaled_dot_product_attention} kernels ({@link FusedKernels}): no scores
 * are kept for the backward pass, and global layers attend within each document of a packed row only, so a row of
 * eight 1024-token documents costs an eighth of one 8192-token document. Local layers run the same blocks as
 * {@link EagerAttention}, with a boolean mask (short rows: the whole row, with a banded mask). The attention itself
 * may run in bfloat16 or float16 ({@code precision}); what goes in and out stays float32.
 */
final class FusedAttention implements ScaledDotProductAttention {

  private final FusedKernels kernels = FusedKernels.get();
  private final float probabilityDropout;
  private final AttentionPrecision precision;

  FusedAttention(float probabilityDropout, AttentionPrecision precision) {
    this.probabilityDropout = probabilityDropout;
    this.precision = precision;
  }

  @Override
  public NDArray global(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks, boolean training) {
    FusedKernels.Settings settings = settings(scale);
    if (masks.segments() != null) {
      return kernels.segments(q, k, v, masks.segments(), settings, training);
    }
    if (masks.globalVisible() != null) {
      return kernels.masked(q, k, v, masks.globalVisible(), settings, training);
    }
    return kernels.full(q, k, v, settings, training);
  }

  @Override
  public NDArray local(NDArray q, NDArray k, NDArray v, float scale, AttentionMasks masks, boolean training) {
    if (masks.localBand() != null) {
      return kernels.masked(q, k, v, masks.localBand(), settings(scale), training);
    }
    Shape shape = q.getShape();
    int w = masks.window();
    NDArray qBlocks = q.reshape(shape.get(0), shape.get(1), shape.get(2) / w, w, shape.get(3));
    return kernels.blocks(qBlocks, masks.neighbourBlocks(k), masks.neighbourBlocks(v), masks.localVisible(),
        settings(scale), training);
  }

  private FusedKernels.Settings settings(float scale) {
    return new FusedKernels.Settings(scale, probabilityDropout, precision);
  }
}
