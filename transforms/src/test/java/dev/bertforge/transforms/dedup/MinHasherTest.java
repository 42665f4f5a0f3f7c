package dev.bertforge.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class MinHasherTest {
  private static final int NUM_PERM = 256;

  /** Two sets of random elements with |A ∩ B| = common and |A \ B| = |B \ A| = only. */
  private static long[][] pair(SplittableRandom random, int common, int only) {
    long[] a = new long[common + only];
    long[] b = new long[common + only];
    for (int i = 0; i < common; i++) {
      a[i] = b[i] = random.nextLong();
    }
    for (int i = common; i < common + only; i++) {
      a[i] = random.nextLong();
      b[i] = random.nextLong();
    }
    return new long[][] {a, b};
  }

  @Test
  void estimatesAreWithinTheBinomialErrorOfExactJaccard() {
    MinHasher hasher = new MinHasher(NUM_PERM, 42);
    SplittableRandom random = new SplittableRandom(1);
    int trials = 200;
    for (double target : new double[] {0.2, 0.5, 0.7, 0.9}) {
      double sumError = 0;
      int outside3Sigma = 0;
      for (int t = 0; t < trials; t++) {
        int size = 200 + random.nextInt(3000);
        int common = (int) Math.round(size * 2 * target / (1 + target));
        long[][] sets = pair(random, common, size - common);
        double exact = JaccardSimilarity.of(Shingler.distinctSorted(sets[0]), Shingler.distinctSorted(sets[1]));
        double estimate = hasher.similarity(hasher.signature(sets[0]), hasher.signature(sets[1]));
        double sigma = Math.sqrt(exact * (1 - exact) / NUM_PERM);
        sumError += estimate - exact;
        if (Math.abs(estimate - exact) > 3 * sigma) {
          outside3Sigma++;
        }
      }
      double binomialSigmaOfMean = Math.sqrt(target * (1 - target) / NUM_PERM / trials);
      assertThat("bias at J=" + target, Math.abs(sumError / trials), lessThan(4 * binomialSigmaOfMean));
      assertThat("estimates beyond 3 sigma at J=" + target, outside3Sigma, lessThan(4));
    }
  }

  @Test
  void nearDuplicateTextsEstimateCloseToTheirExactJaccard() {
    Shingler shingler = new Shingler(5);
    StringBuilder a = new StringBuilder();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 3000; i++) {
      a.append("w").append(random.nextInt(500)).append(' ');
    }
    String b = a.toString().replace("w17 ", "changed ");
    MinHasher hasher = new MinHasher(NUM_PERM, 42);
    double exact = JaccardSimilarity.of(shingler.shingleSet(a.toString()), shingler.shingleSet(b));
    double estimate =
        hasher.similarity(hasher.signature(shingler.hashes(a.toString())), hasher.signature(shingler.hashes(b)));
    assertThat(estimate, closeTo(exact, 4 * Math.sqrt(exact * (1 - exact) / NUM_PERM) + 1e-9));
  }

  @Test
  void signaturesDependOnTheSetOnlyAndOnTheSeed() {
    long[] set = {5, 3, 9, 3, 5, 11};
    MinHasher hasher = new MinHasher(NUM_PERM, 42);
    byte[] signature = hasher.signature(set);
    long[] reordered = {11, 9, 5, 3};
    assertThat(Arrays.equals(signature, hasher.signature(reordered)), equalTo(true));
    MinHasher copy = SerializableUtils.clone(hasher);
    assertThat(Arrays.equals(signature, copy.signature(set)), equalTo(true));
    assertThat(hasher.similarity(signature, new MinHasher(NUM_PERM, 43).signature(set)), lessThan(0.1));
    assertThat(hasher.signature(new long[0]), nullValue());
  }

  @Test
  void exactJaccardOfSortedSets() {
    assertThat(JaccardSimilarity.of(new long[] {1, 2, 3, 4}, new long[] {3, 4, 5}), closeTo(2.0 / 5, 1e-12));
    assertThat(JaccardSimilarity.of(new long[] {}, new long[] {}), equalTo(1.0));
    assertThat(JaccardSimilarity.of(new long[] {1}, new long[] {}), greaterThanOrEqualTo(0.0));
  }
}
