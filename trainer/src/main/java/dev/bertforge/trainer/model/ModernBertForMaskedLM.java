package dev.bertforge.trainer.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * ModernBERT with its masked-language-model head, parameter for parameter {@code transformers}'
 * {@code ModernBertForMaskedLM}: encoder ({@code model.*}), head ({@code head.*}) and a decoder that shares the
 * token-embedding matrix and owns only {@code decoder.bias}.
 *
 * <p>Training calls {@link #forward(ParameterStore, EncoderInput, long[], NDManager, boolean)}, which runs the head
 * on the labelled positions only (the recipe's sparse prediction); {@link #logits} gives every position's logits.
 */
public final class ModernBertForMaskedLM extends PretrainedModel {

  /** Labels with this value are not predicted (PyTorch's cross-entropy {@code ignore_index}). */
  public static final long IGNORE_INDEX = -100;

  private final ModernBertModel model;
  private final PredictionHead head;
  private final Parameter decoderBias;
  private final boolean fusedLoss;

  public ModernBertForMaskedLM(ModernBertConfig config) {
    super(config);
    this.model = addChildBlock("model", new ModernBertModel(config));
    this.head = addChildBlock("head", new PredictionHead(config));
    this.decoderBias = addParameter(
        Parameter.builder().setName("decoder_bias").setType(Parameter.Type.BIAS).build());
    this.fusedLoss = config.attention().resolve() == AttentionImplementation.FUSED;
  }

  /** Final hidden states [B, S', H] (S' = input length rounded up to the local half-window; extra rows are junk). */
  public NDArray hiddenStates(ParameterStore ps, EncoderInput input, NDManager manager, boolean training) {
    return model.forward(ps, input, manager, training, null);
  }

  /** Vocabulary logits for hidden states [..., H] → [..., V]: head, then the tied decoder plus its bias. */
  public NDArray logits(ParameterStore ps, NDArray hidden, boolean training) {
    NDArray transformed = head.forward(ps, hidden, training);
    NDArray table = model.embeddings().weight(ps, transformed, training);
    NDArray bias = ps.getValue(decoderBias, transformed.getDevice(), training);
    return transformed.getNDArrayInternal().linear(transformed, table, bias).singletonOrThrow();
  }

  /** Logits at every position, [B, S, V] (inference; S = the input's length). */
  public NDArray logits(ParameterStore ps, EncoderInput input, NDManager manager) {
    NDArray hidden = hiddenStates(ps, input, manager, false);
    if (hidden.getShape().get(1) != input.length()) {
      hidden = hidden.get(new NDIndex(":, :{}", input.length()));
    }
    return logits(ps, hidden, false);
  }

  /**
   * The MLM loss over the labelled positions. {@code labels} is row-major [B × S] (S = {@code input.length()}),
   * {@link #IGNORE_INDEX} where nothing is predicted; the head runs only where a label is given.
   */
  public MlmOutput forward(ParameterStore ps, EncoderInput input, long[] labels, NDManager manager,
      boolean training) {
    return forward(ps, input, labels, manager, training, null);
  }

  /**
   * As {@link #forward(ParameterStore, EncoderInput, long[], NDManager, boolean)}, with dropout seeded per layer
   * from {@code dropoutSeed} (when not null) exactly as {@link #forwardBackwardCheckpointed} seeds it, so the two
   * give the same gradients.
   */
  public MlmOutput forward(ParameterStore ps, EncoderInput input, long[] labels, NDManager manager,
      boolean training, Long dropoutSeed) {
    checkLabels(input, labels);
    NDArray hidden = model.forward(ps, input, manager, training, dropoutSeed);
    return mlmLoss(ps, hidden, input, labels, manager, training);
  }

  /**
   * Forward and backward in one call with activation checkpointing, for long rows: a first pass without gradients
   * keeps only each layer's input; the backward pass then recomputes one layer at a time and back-propagates
   * through it alone, so memory holds one layer's activations (for a global layer: heads × S² attention
   * probabilities) instead of all of them, for about one more forward pass of compute. Gradients of
   * {@code lossWeight · Σ losses} are added to the parameters' gradients, exactly as a plain
   * {@code backward(lossSum · lossWeight)} would. Dropout draws the same masks in both passes ({@code dropoutSeed}
   * seeds the engine before each layer). Opens its own gradient collector: call it outside one.
   */
  public MlmOutput forwardBackwardCheckpointed(ParameterStore ps, EncoderInput input, long[] labels,
      NDManager manager, float lossWeight, long dropoutSeed) {
    checkLabels(input, labels);
    Engine engine = manager.getEngine();
    ModernBertModel.Pass pass = model.prepare(input, manager);
    int layers = model.layerCount();
    // pass 1, no graph: the input of every layer
    NDArray[] inputs = new NDArray[layers + 1];
    ModernBertModel.seedDropout(manager, dropoutSeed, -1);
    inputs[0] = model.embed(ps, pass, true);
    for (int i = 0; i < layers; i++) {
      ModernBertModel.seedDropout(manager, dropoutSeed, i);
      inputs[i + 1] = model.layer(ps, i, inputs[i], pass, true);
    }
    try (GradientCollector collector = engine.newGradientCollector()) {
      // the head and loss, back to the last layer's output
      NDArray last = leaf(inputs[layers]);
      MlmOutput out = mlmLoss(ps, model.finalNorm(ps, last, true), input, labels, manager, true);
      out.backward(collector, lossWeight);
      NDArray upstream = gradientOf(last);
      // each layer recomputed, then back-propagated with the gradient of its output
      for (int i = layers - 1; i >= -1; i--) {
        try (NDScope layerScope = new NDScope()) {
          NDArray x = i >= 0 ? leaf(inputs[i]) : null;
          ModernBertModel.seedDropout(manager, dropoutSeed, i);
          NDArray y = i >= 0 ? model.layer(ps, i, x, pass, true) : model.embed(ps, pass, true);
          collector.backward(y.mul(upstream).sum());
          upstream.close();
          upstream = i >= 0 ? gradientOf(x) : null;
          if (upstream != null) {
            NDScope.unregister(upstream);
          }
        }
        inputs[i + 1].close();
      }
      return out.detached();
    }
  }

  /** A copy of {@code x} that is a leaf of the graph and collects its gradient. */
  private static NDArray leaf(NDArray x) {
    NDArray copy = x.duplicate();
    copy.setRequiresGradient(true);
    return copy;
  }

  private static NDArray gradientOf(NDArray leaf) {
    try (NDArray gradient = leaf.getGradient()) {
      return gradient.duplicate();
    }
  }

  private void checkLabels(EncoderInput input, long[] labels) {
    int b = input.batchSize();
    int s = input.length();
    if (labels.length != b * s) {
      throw new IllegalArgumentException("labels: expected " + b * s + " values (" + b + " rows x " + s
          + " tokens), got " + labels.length);
    }
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < s; i++) {
        long label = labels[r * s + i];
        if (label != IGNORE_INDEX && (label < 0 || label >= config.vocabSize())) {
          throw new IllegalArgumentException("label " + label + " at row " + r + ", token " + i
              + " is outside the vocabulary (" + config.vocabSize() + ")");
        }
      }
    }
  }

  /**
   * Head and summed cross-entropy at the labelled positions of the final hidden states [B, S', H]: through the fused
   * chunked cross-entropy with fused attention, else in NDArray ops on the [labelled, vocab] logits.
   */
  private MlmOutput mlmLoss(ParameterStore ps, NDArray hidden, EncoderInput input, long[] labels,
      NDManager manager, boolean training) {
    int s = input.length();
    long padded = hidden.getShape().get(1);
    long[] rows = new long[labels.length];
    long[] targets = new long[labels.length];
    int n = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != IGNORE_INDEX) {
        rows[n] = i / s * padded + i % s;
        targets[n++] = labels[i];
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("the batch has no labelled positions (every label is -100)");
    }
    NDArray index = manager.create(Arrays.copyOf(rows, n));
    NDArray selected = hidden.reshape(-1, config.hiddenSize()).get(new NDIndex("{}", index));
    NDArray target = manager.create(Arrays.copyOf(targets, n));
    NDArray transformed = head.forward(ps, selected, training);
    NDArray table = model.embeddings().weight(ps, transformed, training);
    NDArray bias = ps.getValue(decoderBias, transformed.getDevice(), training);
    if (fusedLoss) {
      return FusedMlmLoss.compute(transformed, table, bias, target, training);
    }
    NDArray logits = transformed.getNDArrayInternal().linear(transformed, table, bias).singletonOrThrow();
    NDArray lossSum = logits.logSoftmax(-1).gather(target.reshape(n, 1), 1).sum().neg();
    long correct = training ? -1 : logits.argMax(-1).eq(target).sum().getLong();
    return new MlmOutput(lossSum, n, correct, (collector, weight) -> collector.backward(lossSum.mul(weight)));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    // DJL-style entry: [input_ids [B, S] int64, attention_mask [B, S]] -> logits [B, S, V]
    NDArray ids = inputs.get(0);
    long[] flat = ids.toType(DataType.INT64, false).toLongArray();
    int b = (int) ids.getShape().get(0);
    int s = (int) ids.getShape().get(1);
    long[][] rows = new long[b][s];
    int[][] mask = new int[b][s];
    int[] maskValues = inputs.size() > 1 ? inputs.get(1).toType(DataType.INT32, false).toIntArray() : null;
    for (int r = 0; r < b; r++) {
      System.arraycopy(flat, r * s, rows[r], 0, s);
      for (int i = 0; i < s; i++) {
        mask[r][i] = maskValues == null ? 1 : maskValues[r * s + i];
      }
    }
    return new NDList(logits(ps, EncoderInput.ofAttentionMask(rows, mask, config.padTokenId()), ids.getManager()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.vocabSize())};
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    model.visitParameters(prefix + "model.", visitor);
    head.visitParameters(prefix + "head.", visitor);
    visitor.visit(prefix + "decoder.bias", decoderBias, new Shape(config.vocabSize()), Init.ZEROS);
  }
}
