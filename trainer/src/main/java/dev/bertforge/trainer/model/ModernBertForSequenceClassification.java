package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * ModernBERT with a sequence-classification head, parameter for parameter {@code transformers}'
 * {@code ModernBertForSequenceClassification}: the encoder ({@code model.*}), the pooled rows through {@code head}
 * (dense → GELU → LayerNorm, the same block as the masked-LM head, so a pretrained one carries over), dropout, and
 * {@code classifier} (a linear layer with bias) onto the labels, or onto one value for a regression.
 *
 * <p>Rows are one text (or text pair) each, padded ({@link EncoderInput#ofAttentionMask}); {@code cls} pooling takes
 * each row's first token, {@code mean} the mean over its real tokens, as transformers does.
 */
public final class ModernBertForSequenceClassification extends PretrainedModel {

  private final ClassifierConfig classifier;
  private final ModernBertModel model;
  private final PredictionHead head;
  private final Parameter classifierWeight;
  private final Parameter classifierBias;

  public ModernBertForSequenceClassification(ModernBertConfig config, ClassifierConfig classifier) {
    super(config);
    this.classifier = classifier;
    this.model = addChildBlock("model", new ModernBertModel(config));
    this.head = addChildBlock("head", new PredictionHead(config));
    this.classifierWeight = addParameter(
        Parameter.builder().setName("classifier_weight").setType(Parameter.Type.WEIGHT).build());
    this.classifierBias = addParameter(
        Parameter.builder().setName("classifier_bias").setType(Parameter.Type.BIAS).build());
  }

  public ClassifierConfig classifier() {
    return classifier;
  }

  /**
   * Logits [B, labels] (for a regression [B, 1], the predicted values). In training, dropout is seeded per layer
   * from {@code dropoutSeed} when it is not null.
   */
  public NDArray logits(ParameterStore ps, EncoderInput input, NDManager manager, boolean training,
      Long dropoutSeed) {
    if (input.isPacked()) {
      throw new IllegalArgumentException("a classifier takes one text per row, not packed rows");
    }
    NDArray hidden = model.forward(ps, input, manager, training, dropoutSeed);
    NDArray pooled = pool(hidden, input, manager);
    NDArray transformed = Attention.dropout(head.forward(ps, pooled, training), classifier.dropout(), training);
    NDArray w = ps.getValue(classifierWeight, transformed.getDevice(), training);
    NDArray bias = ps.getValue(classifierBias, transformed.getDevice(), training);
    return transformed.getNDArrayInternal().linear(transformed, w, bias).singletonOrThrow();
  }

  /** Inference logits [B, labels]. */
  public NDArray logits(ParameterStore ps, EncoderInput input, NDManager manager) {
    return logits(ps, input, manager, false, null);
  }

  /** One vector per row [B, H] from the final hidden states [B, S', H] (S' ≥ the input's length). */
  private NDArray pool(NDArray hidden, EncoderInput input, NDManager manager) {
    if (classifier.pooling() == ClassifierConfig.Pooling.CLS) {
      return hidden.get(new NDIndex(":, 0, :"));
    }
    int b = input.batchSize();
    int s = input.length();
    int padded = (int) hidden.getShape().get(1);
    float[] weights = new float[b * padded];
    for (int r = 0; r < b; r++) {
      int real = 0;
      for (int i = 0; i < s; i++) {
        real += input.docId(r, i) == EncoderInput.PADDING ? 0 : 1;
      }
      for (int i = 0; i < s; i++) {
        weights[r * padded + i] = input.docId(r, i) == EncoderInput.PADDING ? 0f : 1f / real;
      }
    }
    NDArray w = manager.create(weights, new Shape(b, padded, 1));
    return hidden.mul(w).sum(new int[] {1});
  }

  /**
   * The summed loss of {@code logits} against {@code targets} (one per row): cross-entropy against label ids, or
   * squared error against values for a regression. Divide by the rows to get transformers' mean loss.
   */
  public NDArray lossSum(NDArray logits, float[] targets) {
    long b = logits.getShape().get(0);
    if (targets.length != b) {
      throw new IllegalArgumentException("expected " + b + " targets, got " + targets.length);
    }
    NDManager manager = logits.getManager();
    if (classifier.task() == ClassifierConfig.Task.REGRESSION) {
      NDArray target = manager.create(targets, new Shape(b, 1));
      return logits.sub(target).square().sum();
    }
    long[] ids = new long[targets.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) targets[i];
      if (ids[i] != targets[i] || ids[i] < 0 || ids[i] >= classifier.numLabels()) {
        throw new IllegalArgumentException("target " + targets[i] + " of row " + i + " is not a label id (0.."
            + (classifier.numLabels() - 1) + ")");
      }
    }
    NDArray target = manager.create(ids, new Shape(b, 1));
    return logits.logSoftmax(-1).gather(target, 1).sum().neg();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classifier.numLabels())};
  }

  @Override
  public void visitParameters(String prefix, Visitor visitor) {
    model.visitParameters(prefix + "model.", visitor);
    head.visitParameters(prefix + "head.", visitor);
    // transformers: trunc-normal with σ = hidden_size^-0.5 (its "final_out"), bias 0
    visitor.visit(prefix + "classifier.weight", classifierWeight,
        new Shape(classifier.numLabels(), config.hiddenSize()), Init.truncatedNormal(Math.pow(config.hiddenSize(),
            -0.5)));
    visitor.visit(prefix + "classifier.bias", classifierBias, new Shape(classifier.numLabels()), Init.ZEROS);
  }
}
