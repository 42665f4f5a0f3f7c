package dev.bertforge.trainer.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which {@link ScaledDotProductAttention} a model uses ({@code model.attention} in a stage config). */
public enum AttentionImplementation {
  /** PyTorch's fused kernels ({@link FusedAttention}). */
  FUSED,
  /** DJL NDArray ops ({@link EagerAttention}), exactly transformers' eager attention. */
  EAGER,
  /** Fused where PyTorch's kernels load (every libtorch DJL 0.36 runs), else eager. */
  AUTO;

  private static final Logger LOG = LoggerFactory.getLogger(AttentionImplementation.class);
  private static volatile boolean warned;

  public static AttentionImplementation named(String name) {
    for (AttentionImplementation a : values()) {
      if (a.name().equalsIgnoreCase(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("attention must be fused, eager or auto, got '" + name + "'");
  }

  /** AUTO made concrete for this process (loading the fused kernels once to find out). */
  public AttentionImplementation resolve() {
    if (this != AUTO) {
      return this;
    }
    if (FusedKernels.available()) {
      return FUSED;
    }
    if (!warned) {
      warned = true;
      LOG.warn("fused attention is not available here, using eager attention: {}", FusedKernels.failure());
    }
    return EAGER;
  }
}
