package dev.bertforge.trainer.train;

import dev.bertforge.trainer.model.AttentionImplementation;
import dev.bertforge.trainer.model.ModernBertConfig;
import java.util.Locale;

/**
 * Whether a stage's backward passes use activation checkpointing ({@code batch.activation_checkpointing}), and why.
 *
 * <p>{@code auto} turns it on when the plain backward pass of one micro-batch would hold more than half of the
 * device's memory in activations (a GPU's memory, or the machine's physical memory on a CPU), by
 * {@link #plainActivationBytes}; it costs about one more forward pass per step and keeps one layer's activations at a
 * time instead of all of them. {@code true} and {@code false} force it.
 */
public record ActivationCheckpointing(boolean on, String reason) {

  /** Share of the device's memory the plain backward pass's activations may take before {@code auto} turns it on. */
  static final double AUTO_SHARE = 0.5;

  public static ActivationCheckpointing decide(String setting, ModernBertConfig model, int rows, int length,
      long deviceBytes) {
    long plain = plainActivationBytes(model, rows, length);
    String estimate = String.format(Locale.ROOT, "the plain backward of %d x %d tokens would keep about %s of "
        + "activations, the device has %s", rows, length, MemoryUse.gib(plain), MemoryUse.gib(deviceBytes));
    return switch (setting) {
      case "true" -> new ActivationCheckpointing(true, "batch.activation_checkpointing: true");
      case "false" -> new ActivationCheckpointing(false, "batch.activation_checkpointing: false");
      default -> plain > AUTO_SHARE * deviceBytes
          ? new ActivationCheckpointing(true, "auto: " + estimate)
          : new ActivationCheckpointing(false, "auto: " + estimate);
    };
  }

  /**
   * Bytes the autograd graph of one plain (not checkpointed) training pass keeps, estimated from the model's shape:
   * per token and layer about 20·H + 8·I float32 values (norm outputs, q/k/v and their RoPE inputs, the attention
   * output, the GLU's halves and product, and what the allocator holds beside them: measured on {@code mini} at 2048
   * to 8192 tokens); with eager attention also heads × S² probabilities per row in every global layer; and the MLM
   * head's logits and log-probabilities at the 30% of positions that are masked.
   */
  public static long plainActivationBytes(ModernBertConfig model, int rows, int length) {
    int window = model.slidingWindow();
    long s = (length + window - 1L) / window * window;
    long tokens = rows * s;
    long h = model.hiddenSize();
    long i = model.intermediateSize();
    long perLayer = tokens * (20 * h + 8 * i) * Float.BYTES;
    long layers = model.numHiddenLayers();
    long globalLayers = (layers + model.globalAttnEveryNLayers() - 1) / model.globalAttnEveryNLayers();
    long scores = model.attention().resolve() == AttentionImplementation.EAGER
        ? globalLayers * rows * model.numAttentionHeads() * s * s * Float.BYTES : 0;
    long head = (long) (0.3 * tokens) * model.vocabSize() * 2L * Float.BYTES;
    return layers * perLayer + scores + head;
  }
}
