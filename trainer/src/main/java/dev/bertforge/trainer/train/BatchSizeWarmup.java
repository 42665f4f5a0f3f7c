package dev.bertforge.trainer.train;

/**
 * How many micro-batches make the optimizer step after {@code tokens} tokens: ModernBERT's
 * {@code BatchSizeWarmupScheduler}. The count grows from {@code min} to {@code max} micro-batches; count b is
 * used while tokens are below {@code ceil(W · (min + … + b) / (min + … + (max−1)))}, so each count lasts
 * tokens in proportion to its size and every batch size gets the same number of steps.
 */
public final class BatchSizeWarmup {
  private final int min;
  private final int max;
  private final long[] thresholds;

  /**
   * @param min micro-batches per step at the start
   * @param max micro-batches per step after the warmup
   * @param warmupTokens W; 0 means {@code max} from the first step
   */
  public BatchSizeWarmup(int min, int max, long warmupTokens) {
    if (min <= 0 || max < min) {
      throw new IllegalArgumentException("batch warmup needs 0 < min <= max, got " + min + " and " + max);
    }
    this.min = min;
    this.max = max;
    this.thresholds = new long[max - min];
    if (warmupTokens <= 0) {
      return;
    }
    double total = 0;
    for (int b = min; b < max; b++) {
      total += b;
    }
    double cumulative = 0;
    for (int b = min; b < max; b++) {
      cumulative += b;
      thresholds[b - min] = (long) Math.ceil(warmupTokens * cumulative / total);
    }
  }

  /** No warmup: always {@code size} micro-batches. */
  public static BatchSizeWarmup constant(int size) {
    return new BatchSizeWarmup(size, size, 0);
  }

  public int microBatchesAt(long tokens) {
    for (int b = min; b < max; b++) {
      if (tokens < thresholds[b - min]) {
        return b;
      }
    }
    return max;
  }
}
