package dev.bertforge.trainer.train;

/**
 * The learning rate as a multiple of the peak, as a function of tokens trained in the stage (ModernBERT's
 * {@code src/scheduler.py}, whose time unit is tokens).
 */
public sealed interface LearningRateSchedule {
  /** Where Composer's linear warmup starts (it never uses exactly 0). */
  double WARMUP_START = 1e-10;

  /** The multiplier of the peak learning rate after {@code tokens} tokens of this stage. */
  double multiplier(long tokens);

  /**
   * Linear warmup over {@code warmupTokens}, 1.0 until {@code totalTokens − decayTokens}, then linear
   * decay to {@code alphaF} at {@code totalTokens} (floored at 0 after it). The recipe's pretraining uses
   * {@code decayTokens = 0}: warmup then constant.
   */
  record WarmupStableDecay(long warmupTokens, long totalTokens, long decayTokens, double alphaF)
      implements LearningRateSchedule {
    @Override
    public double multiplier(long tokens) {
      if (tokens < warmupTokens) {
        return warmup(tokens, warmupTokens);
      }
      long decayStart = totalTokens - decayTokens;
      if (decayTokens <= 0 || tokens < decayStart) {
        return 1.0;
      }
      double fraction = (double) (tokens - decayStart) / decayTokens;
      return Math.max(0, 1 - fraction * (1 - alphaF));
    }
  }

  /** Linear warmup over {@code warmupTokens} (0 for none), then constant. */
  record Constant(long warmupTokens) implements LearningRateSchedule {
    @Override
    public double multiplier(long tokens) {
      return tokens < warmupTokens ? warmup(tokens, warmupTokens) : 1.0;
    }
  }

  /**
   * {@code alphaF + (1 − alphaF)(1 − sqrt(t / decayTokens))}, at least {@code alphaF}, after an optional
   * linear warmup: the recipe's decay stage (over the whole stage, {@code alphaF = 0.001}).
   */
  record OneMinusSqrt(long warmupTokens, long decayTokens, double alphaF) implements LearningRateSchedule {
    @Override
    public double multiplier(long tokens) {
      if (tokens < warmupTokens) {
        return warmup(tokens, warmupTokens);
      }
      double fraction = Math.min(1, (double) (tokens - warmupTokens) / Math.max(1, decayTokens - warmupTokens));
      return Math.max(alphaF, alphaF + (1 - alphaF) * (1 - Math.sqrt(fraction)));
    }
  }

  private static double warmup(long tokens, long warmupTokens) {
    return WARMUP_START + (1 - WARMUP_START) * tokens / warmupTokens;
  }
}
