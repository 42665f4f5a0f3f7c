package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * LayerNorm over the last dimension with a scale and no shift ({@code nn.LayerNorm(bias=False)}): biased variance,
 * {@code eps} inside the square root.
 */
public final class NoBiasLayerNorm extends ModelBlock {

  private final Parameter weight;
  private final Shape shape;
  private final float eps;
  /** DJL's layerNorm takes a shift; an all-zero one that is not a parameter adds exactly nothing. */
  private NDArray zeroShift;

  public NoBiasLayerNorm(int size, double eps) {
    this.shape = new Shape(size);
    this.eps = (float) eps;
    this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA).build());
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    return x.getNDArrayInternal().layerNorm(x, shape, w, zeroShift(w), eps).singletonOrThrow();
  }

  private NDArray zeroShift(NDArray w) {
    if (zeroShift == null || !zeroShift.getDevice().equals(w.getDevice())) {
      zeroShift = w.getManager().zeros(shape, w.getDataType(), w.getDevice());
      NDScope.unregister(zeroShift);
    }
    return zeroShift;
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    visitor.visit(prefix + "weight", weight, shape, Init.ONES);
  }
}
