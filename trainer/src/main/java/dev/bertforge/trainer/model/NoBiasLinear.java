package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** {@code y = x · Wᵀ} with {@code W} of shape (out, in), as {@code torch.nn.Linear(bias=False)}. */
public final class NoBiasLinear extends ModelBlock {

  private final Parameter weight;
  private final Shape shape;
  private final double initStd;

  public NoBiasLinear(int in, int out, double initStd) {
    this.shape = new Shape(out, in);
    this.initStd = initStd;
    this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    return x.getNDArrayInternal().linear(x, w, null).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].slice(0, inputShapes[0].dimension() - 1).add(shape.get(0))};
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    visitor.visit(prefix + "weight", weight, shape, Init.truncatedNormal(initStd));
  }
}
