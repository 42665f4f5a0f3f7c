package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

/**
 * The result of an MLM forward pass over the labelled positions only: the summed cross-entropy (so that gradient
 * accumulation can divide by the labelled count of the whole step, like HF's {@code num_items_in_batch}), the
 * count, the correct predictions, and how to back-propagate the loss.
 */
public final class MlmOutput {

  /** Back-propagates {@code weight · lossSum} into the parameters' gradients. */
  interface Backward {
    void run(GradientCollector collector, float weight);
  }

  private final NDArray lossSum;
  private final int count;
  private final long correct;
  private final Backward backward;

  MlmOutput(NDArray lossSum, int count, long correct, Backward backward) {
    this.lossSum = lossSum;
    this.count = count;
    this.correct = correct;
    this.backward = backward;
  }

  /** Σ −log p(label) over the labelled positions, a scalar. */
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

  /** Number of labelled positions whose arg-max prediction is the label (counted in evaluation only; else -1). */
  public long correct() {
    return correct;
  }

  /**
   * Adds the gradients of {@code weight · lossSum} to the parameters' (inside {@code collector}, the collector of
   * the forward pass).
   */
  public void backward(GradientCollector collector, float weight) {
    if (backward == null) {
      throw new IllegalStateException("this output was computed without gradients");
    }
    backward.run(collector, weight);
  }

  /** The same loss without a way back (what a checkpointed pass returns once it has back-propagated). */
  MlmOutput detached() {
    return new MlmOutput(lossSum.stopGradient(), count, correct, null);
  }
}
