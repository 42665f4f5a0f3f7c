package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder ({@code model}): embeddings, the layers, a final LayerNorm. Builds the attention masks and RoPE
 * tables once per forward pass and hands them to every layer.
 */
public final class ModernBertModel extends ModelBlock {

  private final ModernBertConfig config;
  private final Embeddings embeddings;
  private final List<EncoderLayer> layers = new ArrayList<>();
  private final NoBiasLayerNorm finalNorm;
  private final boolean fused;

  public ModernBertModel(ModernBertConfig config) {
    this.config = config;
    this.embeddings = addChildBlock("embeddings", new Embeddings(config));
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      layers.add(addChildBlock("layers_" + i, new EncoderLayer(config, i)));
    }
    this.finalNorm = addChildBlock("final_norm", new NoBiasLayerNorm(config.hiddenSize(), config.normEps()));
    this.fused = config.attention().resolve() == AttentionImplementation.FUSED;
  }

  Embeddings embeddings() {
    return embeddings;
  }

  /** What every layer of one forward pass shares: the padded input, its ids, the masks and the RoPE tables. */
  static final class Pass {
    final EncoderInput padded;
    final NDArray ids;
    final AttentionMasks masks;
    final RotaryEmbedding.Tables globalRope;
    final RotaryEmbedding.Tables localRope;

    private Pass(EncoderInput padded, NDArray ids, AttentionMasks masks, RotaryEmbedding.Tables globalRope,
        RotaryEmbedding.Tables localRope) {
      this.padded = padded;
      this.ids = ids;
      this.masks = masks;
      this.globalRope = globalRope;
      this.localRope = localRope;
    }
  }

  /** Pads {@code input} to a multiple of the local half-window and builds masks and RoPE tables on {@code manager}. */
  Pass prepare(EncoderInput input, NDManager manager) {
    int window = config.slidingWindow();
    EncoderInput padded = input.paddedToMultipleOf(window, config.padTokenId());
    Shape shape = new Shape(padded.batchSize(), padded.length());
    NDArray ids = manager.create(padded.ids(), shape);
    float[] positionValues = new float[padded.positions().length];
    for (int i = 0; i < positionValues.length; i++) {
      positionValues[i] = padded.positions()[i];
    }
    NDArray positions = manager.create(positionValues, shape);
    AttentionMasks masks = AttentionMasks.build(padded, window, manager, fused);
    float scale = (float) Math.pow(config.headDim(), -0.5);
    RotaryEmbedding.Tables globalRope =
        RotaryEmbedding.tables(positions, config.headDim(), config.globalRopeTheta(), scale);
    RotaryEmbedding.Tables localRope = config.localRopeTheta() == config.globalRopeTheta() ? globalRope
        : RotaryEmbedding.tables(positions, config.headDim(), config.localRopeTheta(), scale);
    return new Pass(padded, ids, masks, globalRope, localRope);
  }

  /**
   * Final hidden states [B, S', H] for {@code input}, where S' is the input's length rounded up to a multiple of
   * the local half-window (the extra positions are padding); arrays are created on {@code manager}.
   */
  public NDArray forward(ParameterStore ps, EncoderInput input, NDManager manager, boolean training) {
    return forward(ps, input, manager, training, null);
  }

  /**
   * As {@link #forward(ParameterStore, EncoderInput, NDManager, boolean)}; in training with a {@code dropoutSeed},
   * the engine's generator is seeded before the embeddings and before each layer ({@link #seedDropout}), so that a
   * recomputation (activation checkpointing) draws the same dropout masks.
   */
  public NDArray forward(ParameterStore ps, EncoderInput input, NDManager manager, boolean training,
      Long dropoutSeed) {
    Pass pass = prepare(input, manager);
    seedDropout(manager, dropoutSeed, -1);
    NDArray h = embed(ps, pass, training);
    for (int i = 0; i < layers.size(); i++) {
      seedDropout(manager, dropoutSeed, i);
      h = layer(ps, i, h, pass, training);
    }
    return finalNorm(ps, h, training);
  }

  /** Seeds the engine's generator for layer {@code layer} (-1: the embeddings) of a pass; nothing if no seed. */
  static void seedDropout(NDManager manager, Long dropoutSeed, int layer) {
    if (dropoutSeed != null) {
      manager.getEngine().setRandomSeed((int) (dropoutSeed + layer + 1));
    }
  }

  NDArray embed(ParameterStore ps, Pass pass, boolean training) {
    return embeddings.forward(ps, pass.ids, training);
  }

  NDArray layer(ParameterStore ps, int index, NDArray h, Pass pass, boolean training) {
    EncoderLayer layer = layers.get(index);
    return Scoped.run(() ->
        layer.forward(ps, h, layer.isGlobal() ? pass.globalRope : pass.localRope, pass.masks, training));
  }

  NDArray finalNorm(ParameterStore ps, NDArray h, boolean training) {
    return finalNorm.forward(ps, h, training);
  }

  int layerCount() {
    return layers.size();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.hiddenSize())};
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    embeddings.visitParameters(prefix + "embeddings.", visitor);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).visitParameters(prefix + "layers." + i + ".", visitor);
    }
    finalNorm.visitParameters(prefix + "final_norm.", visitor);
  }
}
