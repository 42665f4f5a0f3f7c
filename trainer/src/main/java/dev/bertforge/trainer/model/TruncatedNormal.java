package dev.bertforge.trainer.model;

import java.util.SplittableRandom;

/**
 * Samples of a normal distribution truncated at ±cutoff·σ ({@code torch.nn.init.trunc_normal_} with
 * {@code a = −cutoff·σ, b = cutoff·σ}), drawn in Java so that a seed gives the same weights on every engine and
 * device.
 */
public final class TruncatedNormal {

  private TruncatedNormal() {}

  /** {@code count} samples from a generator seeded by {@code seed} and {@code stream} (e.g. a parameter name). */
  public static float[] sample(int count, double std, double cutoff, long seed, String stream) {
    SplittableRandom random = new SplittableRandom(mix(seed, stream));
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      double z;
      do {
        z = gaussian(random);
      } while (Math.abs(z) > cutoff);
      out[i] = (float) (z * std);
    }
    return out;
  }

  /** Marsaglia's polar method (SplittableRandom has no nextGaussian in Java 17). */
  private static double gaussian(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  private static long mix(long seed, String stream) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < stream.length(); i++) {
      h = (h ^ stream.charAt(i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    return h;
  }
}
