package dev.bertforge.transforms.tokenizer;

import java.util.Arrays;

/** A growable list of longs (pair keys), without boxing. */
final class LongList {
  private long[] values = new long[16];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  long get(int i) {
    return values[i];
  }
}
