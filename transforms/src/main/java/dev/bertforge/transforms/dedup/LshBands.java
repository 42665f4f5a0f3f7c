package dev.bertforge.transforms.dedup;

import dev.bertforge.transforms.group.SplitMix;
import java.io.Serializable;
import java.util.function.DoubleUnaryOperator;

/**
 * LSH banding of MinHash signatures: {@code bands} bands of {@code rows} consecutive components; two documents are
 * candidates when all components of at least one band are equal, which for Jaccard similarity s happens with
 * probability 1 - (1 - s<sup>r</sup>)<sup>b</sup>.
 *
 * <p>{@link #optimal} chooses (b, r) as datasketch's {@code _optimal_param} does (and text-dedup and BigCode, which
 * copy it): a grid search over b = 1..numPerm, r = 1..⌊numPerm/b⌋ minimising fpWeight·FP + fnWeight·FN, where
 * FP = ∫₀ᵗ 1-(1-sʳ)ᵇ ds and FN = ∫ₜ¹ (1-sʳ)ᵇ ds; the first minimum in that order wins. For 256 permutations and
 * threshold 0.7 it gives (25, 10); leftover components (numPerm - b·r) are not banded.
 */
public final class LshBands implements Serializable {
  private final int bands;
  private final int rows;

  public LshBands(int bands, int rows) {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException("bands and rows must be positive, got " + bands + " x " + rows);
    }
    this.bands = bands;
    this.rows = rows;
  }

  /** datasketch's optimal parameters with equal false-positive and false-negative weights. */
  public static LshBands optimal(double threshold, int numPerm) {
    return optimal(threshold, numPerm, 0.5, 0.5);
  }

  public static LshBands optimal(double threshold, int numPerm, double fpWeight, double fnWeight) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    double best = Double.POSITIVE_INFINITY;
    int bestB = 0;
    int bestR = 0;
    for (int b = 1; b <= numPerm; b++) {
      for (int r = 1; r <= numPerm / b; r++) {
        double error = fpWeight * falsePositiveArea(threshold, b, r) + fnWeight * falseNegativeArea(threshold, b, r);
        if (error < best) {
          best = error;
          bestB = b;
          bestR = r;
        }
      }
    }
    return new LshBands(bestB, bestR);
  }

  static double falsePositiveArea(double threshold, int b, int r) {
    return integrate(s -> 1 - Math.pow(1 - Math.pow(s, r), b), 0, threshold);
  }

  static double falseNegativeArea(double threshold, int b, int r) {
    return integrate(s -> Math.pow(1 - Math.pow(s, r), b), threshold, 1);
  }

  /** Composite 16-point Gauss–Legendre on 64 panels: the integrands are smooth polynomials of degree ≤ 2·b·r. */
  private static double integrate(DoubleUnaryOperator f, double from, double to) {
    int panels = 64;
    double width = (to - from) / panels;
    double sum = 0;
    for (int p = 0; p < panels; p++) {
      double mid = from + (p + 0.5) * width;
      for (int i = 0; i < GL_NODES.length; i++) {
        sum += GL_WEIGHTS[i] * f.applyAsDouble(mid + 0.5 * width * GL_NODES[i]);
      }
    }
    return sum * 0.5 * width;
  }

  public int bands() {
    return bands;
  }

  public int rows() {
    return rows;
  }

  /** Probability that two documents of Jaccard similarity {@code s} share at least one band. */
  public double candidateProbability(double s) {
    return 1 - Math.pow(1 - Math.pow(s, rows), bands);
  }

  /**
   * One 64-bit key per band of {@code signature}: band index and the band's components hashed together, so equal
   * bands of different band indices never meet.
   */
  public long[] keys(MinHasher hasher, byte[] signature) {
    if (bands * rows > hasher.numPerm()) {
      throw new IllegalArgumentException(
          "bands x rows = " + bands + " x " + rows + " exceeds the " + hasher.numPerm() + " signature components");
    }
    long[] keys = new long[bands];
    for (int band = 0; band < bands; band++) {
      long h = SplitMix.mix(band + 0x3C6EF372FE94F82BL);
      for (int row = 0; row < rows; row++) {
        h = SplitMix.mix(h ^ hasher.component(signature, band * rows + row));
      }
      keys[band] = h;
    }
    return keys;
  }

  @Override
  public String toString() {
    return bands + " bands x " + rows + " rows";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LshBands && ((LshBands) o).bands == bands && ((LshBands) o).rows == rows;
  }

  @Override
  public int hashCode() {
    return 31 * bands + rows;
  }

  // 16-point Gauss–Legendre nodes and weights on [-1, 1].
  private static final double[] GL_NODES = {
    -0.9894009349916499, -0.9445750230732326, -0.8656312023878318, -0.7554044083550030,
    -0.6178762444026438, -0.4580167776572274, -0.2816035507792589, -0.0950125098376374,
    0.0950125098376374, 0.2816035507792589, 0.4580167776572274, 0.6178762444026438,
    0.7554044083550030, 0.8656312023878318, 0.9445750230732326, 0.9894009349916499
  };
  private static final double[] GL_WEIGHTS = {
    0.0271524594117541, 0.0622535239386479, 0.0951585116824928, 0.1246289712555339,
    0.1495959888165767, 0.1691565193950025, 0.1826034150449236, 0.1894506104550685,
    0.1894506104550685, 0.1826034150449236, 0.1691565193950025, 0.1495959888165767,
    0.1246289712555339, 0.0951585116824928, 0.0622535239386479, 0.0271524594117541
  };
}
