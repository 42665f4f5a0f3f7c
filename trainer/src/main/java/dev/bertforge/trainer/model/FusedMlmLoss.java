package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * The MLM loss of the tied decoder through {@link FusedKernels#linearCrossEntropy}: the logits of a chunk of masked
 * positions at a time, their cross-entropy and its gradients in one pass, so a micro-batch never holds its
 * [masked, vocab] logits, log-probabilities and their gradients (for base at 8192 tokens, 2.4k × 50k floats each).
 * The backward pass then sends the gradient with respect to the head's output through autograd, and adds the
 * decoder's weight and bias gradients to the tied embedding's and the bias's.
 */
final class FusedMlmLoss {

  /**
   * System property: logits held at once per chunk, in bytes (default 16 MiB: below glibc's largest mmap threshold,
   * so the chunk's memory is reused rather than mapped afresh).
   */
  public static final String CHUNK_BYTES_PROPERTY = "bertforge.loss.chunkBytes";

  private FusedMlmLoss() {}

  /**
   * @param transformed the head's output at the masked positions [n, H], with its graph when training
   * @param table the decoder weight (the token embeddings) [V, H]
   * @param bias the decoder bias [V]
   * @param targets int64 [n]
   */
  static MlmOutput compute(NDArray transformed, NDArray table, NDArray bias, NDArray targets, boolean training) {
    int n = (int) transformed.getShape().get(0);
    long vocab = table.getShape().get(0);
    int chunk = (int) Math.max(1, Long.getLong(CHUNK_BYTES_PROPERTY, 16L << 20) / (vocab * Float.BYTES));
    FusedKernels.CrossEntropy ce = FusedKernels.get().linearCrossEntropy(transformed.stopGradient(),
        table.stopGradient(), bias.stopGradient(), targets, chunk, training);
    NDArray lossSum = ce.lossSum().reshape();
    if (!training) {
      return new MlmOutput(lossSum, n, ce.correct(), null);
    }
    return new MlmOutput(lossSum, n, -1, (collector, weight) -> {
      collector.backward(transformed.mul(ce.gradX().muli(weight)).sum());
      addGradient(collector, table, ce.gradWeight().muli(weight));
      addGradient(collector, bias, ce.gradBias().muli(weight));
    });
  }

  /** parameter.grad += gradient (through autograd the first time, when the parameter has no gradient yet). */
  private static void addGradient(GradientCollector collector, NDArray parameter, NDArray gradient) {
    PtNDArray current = JniUtils.getGradient((PtNDArray) parameter);
    if (current == null) {
      collector.backward(parameter.mul(gradient).sum());
      return;
    }
    try (current) {
      current.addi(gradient);
    }
  }
}
