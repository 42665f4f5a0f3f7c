package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Token embeddings followed by a LayerNorm ({@code model.embeddings}): no position or token-type table, RoPE
 * supplies positions. The pad row gets no gradient, as with {@code nn.Embedding(padding_idx=pad)}.
 */
public final class Embeddings extends ModelBlock {

  private final Parameter tokEmbeddings;
  private final NoBiasLayerNorm norm;
  private final Shape shape;
  private final double initStd;
  private final int padTokenId;

  public Embeddings(ModernBertConfig config) {
    this.shape = new Shape(config.vocabSize(), config.hiddenSize());
    this.initStd = config.initializerRange();
    this.padTokenId = config.padTokenId();
    this.tokEmbeddings = addParameter(
        Parameter.builder().setName("tok_embeddings").setType(Parameter.Type.WEIGHT).build());
    this.norm = addChildBlock("norm", new NoBiasLayerNorm(config.hiddenSize(), config.normEps()));
  }

  /** The embedding matrix (V × H), which the MLM decoder shares. */
  NDArray weight(ParameterStore ps, NDArray like, boolean training) {
    return ps.getValue(tokEmbeddings, like.getDevice(), training);
  }

  /** {@code ids} [B, S] int64 → [B, S, H]. */
  @Override
  public NDArray forward(ParameterStore ps, NDArray ids, boolean training) {
    NDArray table = weight(ps, ids, training);
    NDArray x = ids.getNDArrayInternal().embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE)
        .singletonOrThrow();
    if (training && table.hasGradient()) {
      // padding_idx semantics: the pad row is looked up but never trained
      NDArray isPad = ids.eq(padTokenId).expandDims(-1).broadcast(x.getShape());
      x = NDArrays.where(isPad, x.stopGradient(), x);
    }
    return norm.forward(ps, x, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(shape.get(1))};
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    visitor.visit(prefix + "tok_embeddings.weight", tokEmbeddings, shape, Init.truncatedNormal(initStd));
    norm.visitParameters(prefix + "norm.", visitor);
  }
}
