package dev.bertforge.trainer.train;

import java.util.Locale;

/**
 * The line a person watches: step, tokens, throughput, loss, learning rate, batch size, time spent waiting
 * for data, and the time left, printed at most every {@code everySeconds}.
 */
public final class ProgressLine {
  private final double everySeconds;
  private final long budgetTokens;
  private final long budgetSteps;
  private long lastPrintNanos;
  private long lastTokens;
  private long lastWaitNanos;
  private double rate = Double.NaN;

  public ProgressLine(double everySeconds, long budgetTokens, long budgetSteps, long startTokens) {
    this.everySeconds = everySeconds;
    this.budgetTokens = budgetTokens;
    this.budgetSteps = budgetSteps;
    this.lastPrintNanos = System.nanoTime();
    this.lastTokens = startTokens;
  }

  /** The progress line if it is time for one (or {@code force}), else {@code null}. */
  public String maybe(long step, long tokens, double loss, double lr, int sequences, long waitNanos,
      boolean force) {
    long now = System.nanoTime();
    double seconds = (now - lastPrintNanos) / 1e9;
    if (!force && seconds < everySeconds) {
      return null;
    }
    rate = seconds > 0 ? (tokens - lastTokens) / seconds : rate;
    double waitShare = seconds > 0 ? (waitNanos - lastWaitNanos) / 1e9 / seconds : 0;
    lastPrintNanos = now;
    lastTokens = tokens;
    lastWaitNanos = waitNanos;
    return String.format(Locale.ROOT,
        "step %s | %s tokens | %,.0f tok/s | loss %.4f | lr %.3e | batch %d | data wait %.1f%% | ETA %s",
        budgetSteps > 0 ? step + "/" + budgetSteps : Long.toString(step),
        budgetTokens > 0 ? human(tokens) + "/" + human(budgetTokens) : human(tokens), rate, loss, lr, sequences,
        100 * waitShare, eta(step, tokens, now));
  }

  /**
   * Starts the next rate window now, so that time spent evaluating or checkpointing does not show as slow
   * training.
   */
  public void restartWindow(long tokens, long waitNanos) {
    lastPrintNanos = System.nanoTime();
    lastTokens = tokens;
    lastWaitNanos = waitNanos;
  }

  private String eta(long step, long tokens, long now) {
    if (!(rate > 0)) {
      return "?";
    }
    double seconds = Double.POSITIVE_INFINITY;
    if (budgetTokens > 0) {
      seconds = (budgetTokens - tokens) / rate;
    }
    if (budgetSteps > 0 && step > 0) {
      double tokensPerStep = (double) tokens / step;
      seconds = Math.min(seconds, (budgetSteps - step) * tokensPerStep / rate);
    }
    return duration(Math.max(0, seconds));
  }

  static String human(long tokens) {
    if (tokens >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2fB", tokens / 1e9);
    }
    if (tokens >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.2fM", tokens / 1e6);
    }
    if (tokens >= 1_000L) {
      return String.format(Locale.ROOT, "%.1fK", tokens / 1e3);
    }
    return Long.toString(tokens);
  }

  static String duration(double seconds) {
    long s = (long) seconds;
    if (s >= 86_400) {
      return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
