package dev.bertforge.transforms.tokenizer;

import java.util.Arrays;

/**
 * A map from a symbol pair ({@link #key}) to a long, e.g. how often the pair occurs: open addressing, primitive and
 * allocation-free, because the merge loop updates it millions of times. Absent pairs read as 0.
 */
final class PairMap {
  private static final long EMPTY = -1L;

  private long[] keys;
  private long[] values;
  private int size;
  private int mask;

  PairMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new long[capacity];
    Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
  }

  /** The key of pair (a, b): ordering keys as longs orders pairs by a, then b, as HF breaks ties. */
  static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  static int first(long key) {
    return (int) (key >>> 32);
  }

  static int second(long key) {
    return (int) key;
  }

  long get(long key) {
    int i = slot(key);
    return keys[i] == key ? values[i] : 0L;
  }

  /** Adds {@code delta} to the pair's value and returns the new value. */
  long add(long key, long delta) {
    int i = slot(key);
    if (keys[i] != key) {
      keys[i] = key;
      if (++size * 2 > keys.length) {
        grow();
        i = slot(key);
      }
    }
    return values[i] += delta;
  }

  int size() {
    return size;
  }

  /** Calls {@code visitor} for every pair with its value. */
  void forEach(PairVisitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        visitor.visit(keys[i], values[i]);
      }
    }
  }

  @FunctionalInterface
  interface PairVisitor {
    void visit(long key, long value);
  }

  private int slot(long key) {
    int i = mix(key) & mask;
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int j = slot(oldKeys[i]);
        keys[j] = oldKeys[i];
        values[j] = oldValues[i];
      }
    }
  }
}
