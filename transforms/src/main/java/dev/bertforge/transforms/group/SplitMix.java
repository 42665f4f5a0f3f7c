package dev.bertforge.transforms.group;

/**
 * The 64-bit finalizer of SplitMix64 (Stafford's variant 13 of MurmurHash3's): every input bit affects every output
 * bit. Spreads keys over shards and finishes dedup's shingle and band hashes.
 */
public final class SplitMix {
  private SplitMix() {}

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
