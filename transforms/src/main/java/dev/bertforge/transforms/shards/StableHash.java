package dev.bertforge.transforms.shards;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash of a string that is the same in every JVM, run and runner (unlike {@link String#hashCode} mixing or
 * Beam's bundling): FNV-1a over the UTF-8 bytes, finished with MurmurHash3's {@code fmix64} so every bit depends on
 * every input byte. It decides which shard a document goes to and whether it is held out for validation.
 */
final class StableHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private StableHash() {}

  /** The hash of {@code value} under {@code salt}; different salts give independent hashes. */
  static long of(String salt, String value) {
    long h = FNV_OFFSET;
    for (byte b : (salt + '\0' + value).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    return fmix64(h);
  }

  /** A hash mapped uniformly onto [0, 1). */
  static double toUnitInterval(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
