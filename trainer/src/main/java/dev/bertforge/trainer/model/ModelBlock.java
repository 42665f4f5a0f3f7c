package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A block of the model: a DJL block (so DJL optimizers and trainers see its parameters) whose parameters carry HF
 * names. Single-input blocks implement {@link #forward(ParameterStore, NDArray, boolean)}; blocks that also need
 * the masks and RoPE tables are called through their own typed {@code forward}.
 */
abstract class ModelBlock extends AbstractBlock implements NamedParameters {

  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " needs masks and RoPE tables: call its "
        + "typed forward");
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
