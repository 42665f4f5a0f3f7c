package dev.bertforge.transforms.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthHistogramTest {
  /** Nearest-rank percentile of a sorted array: the brute-force reference. */
  private static long exactPercentile(long[] sorted, double percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  @Test
  void percentilesMatchSortingWithinTheBucketWidth() throws IOException {
    Random random = new Random(1);
    long[] values = new long[50_000];
    LengthHistogram left = new LengthHistogram();
    LengthHistogram right = new LengthHistogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(random.nextDouble() * 16); // 1 .. ~9 million, log-uniform
      (i % 2 == 0 ? left : right).add(values[i]);
    }
    left.merge(roundTrip(right));
    Arrays.sort(values);
    for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
      long exact = exactPercentile(values, p);
      long ours = left.percentile(p);
      assertThat("p" + p, ours, greaterThanOrEqualTo(exact));
      assertThat("p" + p, (double) ours, lessThanOrEqualTo(exact * (1 + 1.0 / 128)));
      if (exact < 2048) {
        assertThat("p" + p, ours, equalTo(exact));
      }
    }
    assertThat(left.max(), equalTo(values[values.length - 1]));
    assertThat(left.percentile(100), equalTo(values[values.length - 1]));
    assertThat(left.count(), equalTo((long) values.length));
  }

  @Test
  void bucketsTileTheLine() {
    for (long v : new long[] {0, 1, 2047, 2048, 2049, 4095, 4096, 123_456_789L, Long.MAX_VALUE / 3}) {
      int bucket = LengthHistogram.bucketOf(v);
      long top = LengthHistogram.bucketTop(bucket);
      assertThat(top, greaterThanOrEqualTo(v));
      assertThat(LengthHistogram.bucketOf(top), equalTo(bucket));
      if (top < Long.MAX_VALUE) {
        assertThat(LengthHistogram.bucketOf(top + 1), equalTo(bucket + 1));
      }
      if (bucket > 0) {
        long bottom = LengthHistogram.bucketTop(bucket - 1) + 1;
        assertThat(bottom, lessThanOrEqualTo(v));
        assertThat(LengthHistogram.bucketOf(bottom), equalTo(bucket));
        assertThat((double) (top - bottom + 1), lessThanOrEqualTo(Math.max(1.0, bottom / 128.0)));
      }
    }
    assertThat(new LengthHistogram().percentile(50), equalTo(-1L));
  }

  private static LengthHistogram roundTrip(LengthHistogram histogram) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    histogram.writeTo(new DataOutputStream(bytes));
    LengthHistogram copy = LengthHistogram.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(copy, equalTo(histogram));
    return copy;
  }
}
