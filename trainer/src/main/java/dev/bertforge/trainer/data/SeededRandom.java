package dev.bertforge.trainer.data;

/**
 * A small deterministic generator (SplitMix64) whose whole state is one long: the same seeds give the same
 * numbers on every JVM, so shuffles and masks can be recomputed exactly on resume instead of being saved.
 */
public final class SeededRandom {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long state;

  /** A generator seeded from several numbers, e.g. (seed, epoch, window) or (seed, step, micro-batch). */
  public SeededRandom(long... seeds) {
    long s = 0x5DEECE66DL;
    for (long seed : seeds) {
      s = mix(s + GOLDEN_GAMMA ^ seed);
    }
    state = s;
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in {@code [0, bound)}, without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long limit = Long.remainderUnsigned(-1L, bound); // values above 2^64 - limit would bias
    while (true) {
      long r = nextLong();
      if (Long.compareUnsigned(r, -1L - limit) <= 0) {
        return (int) Long.remainderUnsigned(r, bound);
      }
    }
  }

  /** Uniform in {@code [0, 1)} with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Fisher-Yates permutation of {@code 0 .. n-1}. */
  public int[] permutation(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
