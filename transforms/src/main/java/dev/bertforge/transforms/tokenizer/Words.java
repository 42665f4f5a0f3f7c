package dev.bertforge.transforms.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The distinct words of the corpus with their counts, each a sequence of symbol ids that BPE merges shorten. All
 * symbols live back to back in one int array (no object per word: corpora have tens of millions of words).
 *
 * <p>Symbol ids start with the 256 byte characters in code-point order (id = {@link ByteLevel#alphabetIndexOfByte});
 * merged tokens follow. Words of a single byte are not kept: they hold no pair, so they never change a merge.
 */
public final class Words {
  private int[] symbols = new int[1 << 16];
  private int used;
  private int[] start = new int[1 << 12];
  private int[] length = new int[1 << 12];
  private long[] count = new long[1 << 12];
  private int size;
  private long totalCount;

  /** Receives the pair changes of a merge, in HF's {@code Word::merge} order. */
  @FunctionalInterface
  interface PairChange {
    void change(int a, int b, int delta);
  }

  /** Adds a word (a pre-token, before byte-level mapping) seen {@code count} times. */
  public void add(String word, long count) {
    add(word.getBytes(StandardCharsets.UTF_8), count);
  }

  /** Adds a word given as its UTF-8 bytes. */
  public void add(byte[] utf8, long count) {
    if (count <= 0) {
      throw new IllegalArgumentException("word count must be positive, was " + count);
    }
    totalCount += count;
    if (utf8.length < 2) {
      return;
    }
    if (size == start.length) {
      int capacity = size * 2;
      start = Arrays.copyOf(start, capacity);
      length = Arrays.copyOf(length, capacity);
      this.count = Arrays.copyOf(this.count, capacity);
    }
    if (used + utf8.length > symbols.length) {
      symbols = Arrays.copyOf(symbols, Math.max(symbols.length * 2, used + utf8.length));
    }
    start[size] = used;
    length[size] = utf8.length;
    this.count[size] = count;
    size++;
    for (byte b : utf8) {
      symbols[used++] = ByteLevel.alphabetIndexOfByte(b);
    }
  }

  /** The number of words kept (two bytes or more). */
  public int size() {
    return size;
  }

  /** The sum of the counts of every word added, single bytes included. */
  public long totalCount() {
    return totalCount;
  }

  long count(int word) {
    return count[word];
  }

  int length(int word) {
    return length[word];
  }

  int symbol(int word, int i) {
    return symbols[start[word] + i];
  }

  /**
   * Replaces every non-overlapping {@code (a, b)}, leftmost first, by {@code merged} in word {@code w}, reporting the
   * changed neighbour pairs exactly as HF's {@code Word::merge} does: for each match, (prev, a) −1 and (prev, merged)
   * +1 if a symbol precedes, then (b, next) −1 and (merged, next) +1 if one follows. The pair (a, b) itself is not
   * reported (HF never decrements it).
   */
  void merge(int w, int a, int b, int merged, PairChange changes) {
    int from = start[w];
    int end = from + length[w];
    int out = from;
    int in = from;
    while (in < end) {
      if (symbols[in] == a && in + 1 < end && symbols[in + 1] == b) {
        if (out > from) {
          changes.change(symbols[out - 1], a, -1);
          changes.change(symbols[out - 1], merged, 1);
        }
        symbols[out++] = merged;
        in += 2;
        if (in < end) {
          changes.change(b, symbols[in], -1);
          changes.change(merged, symbols[in], 1);
        }
      } else {
        symbols[out++] = symbols[in++];
      }
    }
    length[w] = out - from;
  }
}
