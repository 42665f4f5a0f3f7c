package dev.bertforge.transforms.tokenizer;

import java.util.Arrays;

/** A growable list of ints (word indices), without boxing. */
final class IntList {
  private int[] values;
  private int size;

  IntList(int capacity) {
    values = new int[Math.max(1, capacity)];
  }

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /** Adds {@code value} unless it is already the last element (word indices arrive grouped by word). */
  void addIfNotLast(int value) {
    if (size == 0 || values[size - 1] != value) {
      add(value);
    }
  }

  int size() {
    return size;
  }

  int get(int i) {
    return values[i];
  }

  int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
