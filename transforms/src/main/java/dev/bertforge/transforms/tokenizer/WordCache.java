package dev.bertforge.transforms.tokenizer;

/**
 * The ids of words already encoded, looked up by a slice of the text without copying it (most words of a corpus
 * repeat, so a lookup that allocates nothing is most of what encoding costs). Open addressing; stops taking new words
 * when full, as Hugging Face's BPE cache does.
 */
final class WordCache {
  private final String[] words;
  private final int[][] ids;
  private final int mask;
  private final int limit;
  private int size;

  /** Room for {@code limit} words. */
  WordCache(int limit) {
    int capacity = Integer.highestOneBit(Math.max(16, limit * 2 - 1)) << 1;
    words = new String[capacity];
    ids = new int[capacity][];
    mask = capacity - 1;
    this.limit = limit;
  }

  /** The ids of {@code text[start, end)}, or null if that word is not cached. */
  int[] get(String text, int start, int end) {
    int length = end - start;
    for (int i = hash(text, start, end) & mask; words[i] != null; i = (i + 1) & mask) {
      String word = words[i];
      if (word.length() == length && word.regionMatches(0, text, start, length)) {
        return ids[i];
      }
    }
    return null;
  }

  /** Caches the ids of {@code text[start, end)} unless the cache is full. */
  void put(String text, int start, int end, int[] wordIds) {
    if (size >= limit) {
      return;
    }
    int i = hash(text, start, end) & mask;
    while (words[i] != null) {
      i = (i + 1) & mask;
    }
    words[i] = text.substring(start, end);
    ids[i] = wordIds;
    size++;
  }

  private static int hash(String text, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + text.charAt(i);
    }
    return h ^ (h >>> 16) ^ (h >>> 7);
  }
}
