package dev.bertforge.transforms.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Counts of non-negative lengths in a fixed number of buckets, mergeable, in bounded memory: lengths below 2048 are
 * exact, larger ones fall in buckets 1/128 of a power of two wide (HdrHistogram's layout), so a percentile is off
 * by less than 0.8% and the maximum is exact. Percentiles use the nearest-rank definition.
 */
public final class LengthHistogram implements java.io.Serializable {
  private static final int EXACT_BITS = 11; // lengths below 2^11 get a bucket each
  private static final int SUB_BITS = 7; // 2^7 buckets per power of two above that
  private static final int EXACT = 1 << EXACT_BITS;
  private static final int BUCKETS = EXACT + (63 - EXACT_BITS) * (1 << SUB_BITS);

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max = -1;

  public void add(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, not " + length);
    }
    counts[bucketOf(length)]++;
    total++;
    max = Math.max(max, length);
  }

  public void merge(LengthHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  public long count() {
    return total;
  }

  /** The largest length added, or -1 if none. */
  public long max() {
    return max;
  }

  /**
   * The smallest length L such that at least {@code percent}% of the lengths are at most L (nearest rank),
   * as the top of L's bucket capped at the maximum; -1 if empty.
   */
  public long percentile(double percent) {
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be in (0, 100], not " + percent);
    }
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(percent / 100.0 * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(bucketTop(i), max);
      }
    }
    return max;
  }

  static int bucketOf(long length) {
    if (length < EXACT) {
      return (int) length;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(length); // >= EXACT_BITS
    int sub = (int) (length >>> (exponent - SUB_BITS)) & ((1 << SUB_BITS) - 1);
    return EXACT + (exponent - EXACT_BITS) * (1 << SUB_BITS) + sub;
  }

  static long bucketTop(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    int exponent = (bucket - EXACT) / (1 << SUB_BITS) + EXACT_BITS;
    long sub = (bucket - EXACT) % (1 << SUB_BITS);
    long width = 1L << (exponent - SUB_BITS);
    return ((1L << SUB_BITS) + sub + 1) * width - 1;
  }

  /** Writes only the non-empty buckets: a histogram of a few documents stays a few bytes. */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeLong(total);
    out.writeLong(max);
    int nonEmpty = 0;
    for (long c : counts) {
      if (c != 0) {
        nonEmpty++;
      }
    }
    out.writeInt(nonEmpty);
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] != 0) {
        out.writeShort(i);
        out.writeLong(counts[i]);
      }
    }
  }

  public static LengthHistogram readFrom(DataInputStream in) throws IOException {
    LengthHistogram histogram = new LengthHistogram();
    histogram.total = in.readLong();
    histogram.max = in.readLong();
    int nonEmpty = in.readInt();
    for (int k = 0; k < nonEmpty; k++) {
      int bucket = in.readUnsignedShort();
      histogram.counts[bucket] = in.readLong();
    }
    return histogram;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LengthHistogram
        && ((LengthHistogram) o).total == total
        && ((LengthHistogram) o).max == max
        && Arrays.equals(((LengthHistogram) o).counts, counts);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(total) * 31 + Arrays.hashCode(counts);
  }
}
