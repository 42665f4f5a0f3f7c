package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * The result of an MLM forward pass over the labelled positions only: the summed cross-entropy (so that gradient
 * accumulation can divide by the labelled count of the whole step, like HF's {@code num_items_in_batch}), the
 * count, and the logits and labels of those positions in row-major order.
 */
public final class MlmOutput {

  private final NDArray lossSum;
  private final int count;
  private final NDArray logits;
  private final NDArray labels;

  MlmOutput(NDArray lossSum, int count, NDArray logits, NDArray labels) {
    this.lossSum = lossSum;
    this.count = count;
    this.logits = logits;
    this.labels = labels;
  }

  /** Σ −log p(label) over the labelled positions (a scalar that carries the gradient). */
  public NDArray lossSum() {
    return lossSum;
  }

  /** Mean cross-entropy over the labelled positions, what {@code transformers} reports as {@code loss}. */
  public NDArray meanLoss() {
    return lossSum.div(count);
  }

  /** Number of labelled positions. */
  public int count() {
    return count;
  }

  /** [count, vocab] logits at the labelled positions. */
  public NDArray logits() {
    return logits;
  }

  /** [count] int64 labels. */
  public NDArray labels() {
    return labels;
  }

  /** Number of labelled positions whose arg-max prediction is the label. */
  public long correct() {
    return logits.argMax(-1).eq(labels).sum().getLong();
  }
}
