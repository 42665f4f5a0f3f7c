package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The GeGLU feed-forward ({@code model.layers.N.mlp}): {@code [u | g] = x·Wiᵀ}, {@code Wo(GELU(u) · g)} with the
 * exact (erf) GELU on the first half of {@code Wi}'s outputs and the second half as the gate.
 */
public final class Mlp extends ModelBlock {

  private final NoBiasLinear wi;
  private final NoBiasLinear wo;

  public Mlp(ModernBertConfig config) {
    int h = config.hiddenSize();
    int intermediate = config.intermediateSize();
    double outStd = config.initializerRange() / Math.sqrt(2.0 * config.numHiddenLayers());
    this.wi = addChildBlock("Wi", new NoBiasLinear(h, 2 * intermediate, config.initializerRange()));
    this.wo = addChildBlock("Wo", new NoBiasLinear(intermediate, h, outStd));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray both = wi.forward(ps, x, training);
    // split, not two slices: the gradient of a slice allocates and fills a zero array of the full width
    NDList halves = both.split(2, both.getShape().dimension() - 1);
    return wo.forward(ps, gelu(halves.get(0)).mul(halves.get(1)), training);
  }

  /** Exact GELU, {@code x·Φ(x)} (torch's default, HF's {@code "gelu"}). */
  static NDArray gelu(NDArray x) {
    return x.getNDArrayInternal().gelu();
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    wi.visitParameters(prefix + "Wi.", visitor);
    wo.visitParameters(prefix + "Wo.", visitor);
  }
}
