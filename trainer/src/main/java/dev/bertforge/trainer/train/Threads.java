package dev.bertforge.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** PyTorch's intra-op thread count: on a CPU shared with other jobs, fewer threads than cores can be faster. */
public final class Threads {
  private Threads() {}

  /** Uses {@code threads} intra-op threads; 0 keeps the engine's default (one per core). */
  public static void use(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (one per core) or positive, got " + threads);
    }
    if (threads > 0) {
      Engine.getInstance(); // loads the native library JniUtils calls into
      JniUtils.setNumThreads(threads);
    }
  }
}
