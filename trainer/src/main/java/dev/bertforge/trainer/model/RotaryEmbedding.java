package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding, NeoX "rotate half" convention over the whole head dimension, computed in fp32 with
 * the same tensor operations as {@code transformers} ({@code inv_freq = 1 / θ^(arange(0, d, 2) / d)}, angles
 * {@code position · inv_freq}, {@code cat(angles, angles)}).
 *
 * <p>{@link Tables} are built once per forward pass and θ, and rotate queries and keys together in the layout
 * {@code [2 (q|k), B, heads, S, d]}. The attention scale {@code d^-0.5} is folded into the query half of the
 * tables when that is exact (head dims 16, 64, 256, …: every preset), which saves a pass over the scores.
 */
public final class RotaryEmbedding {

  private RotaryEmbedding() {}

  /** cos and signed sin for queries (pre-scaled) and keys: {@code x' = x·cos + swapHalves(x)·sinSigned}. */
  public static final class Tables {
    final NDArray cos;
    final NDArray sinSigned;
    /** The part of the attention scale not folded into the query tables (1 when it was exact to fold). */
    final float scoreScale;

    private Tables(NDArray cos, NDArray sinSigned, float scoreScale) {
      this.cos = cos;
      this.sinSigned = sinSigned;
      this.scoreScale = scoreScale;
    }

    /** Rotates {@code qk} [2, B, heads, S, d] into a new contiguous array of that shape. */
    public NDArray rotate(NDArray qk) {
      return qk.mul(cos).add(swapHalves(qk).mul(sinSigned));
    }
  }

  /**
   * Tables for {@code positions} [B, S] (float32) and base {@code theta}. The attention scale is folded into the
   * query half when it is a power of two (then bit-exact); otherwise {@link Tables#scoreScale} carries it.
   */
  public static Tables tables(NDArray positions, int headDim, double theta, float attentionScale) {
    boolean exact = (Float.floatToIntBits(attentionScale) & 0x007FFFFF) == 0; // a power of two
    float queryScale = exact ? attentionScale : 1f;
    NDManager manager = positions.getManager();
    NDArray exponents = manager.arange(0f, headDim, 2f, DataType.FLOAT32).div(headDim);
    NDArray invFreq = manager.ones(exponents.getShape()).div(manager.create((float) theta).pow(exponents));
    NDArray angles = positions.expandDims(-1).mul(invFreq); // [B, S, d/2]
    NDArray cos = angles.cos();
    NDArray sin = angles.sin();
    NDArray cosFull = NDArrays.concat(new NDList(cos, cos), -1).expandDims(1); // [B, 1, S, d]
    NDArray sinSigned = NDArrays.concat(new NDList(sin.neg(), sin), -1).expandDims(1);
    NDArray cosQk = NDArrays.stack(new NDList(cosFull.mul(queryScale), cosFull)); // [2, B, 1, S, d]
    NDArray sinQk = NDArrays.stack(new NDList(sinSigned.mul(queryScale), sinSigned));
    return new Tables(cosQk, sinQk, exact ? 1f : attentionScale);
  }

  /**
   * {@code cat(x[..., d/2:], x[..., :d/2])}, which with the signed sin is HF's {@code rotate_half}; done as a flip
   * of the two halves, whose gradient is a flip too (slices would allocate and fill zeros in the backward pass).
   */
  static NDArray swapHalves(NDArray x) {
    Shape shape = x.getShape();
    long d = shape.get(shape.dimension() - 1);
    return x.reshape(shape.slice(0, shape.dimension() - 1).addAll(new Shape(2, d / 2))).flip(-2).reshape(shape);
  }
}
