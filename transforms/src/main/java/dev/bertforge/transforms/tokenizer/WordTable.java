package dev.bertforge.transforms.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.ObjIntConsumer;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Words with their counts: one shard of the corpus's word table, a Beam element. Words are sharded by hash so that
 * the table is summed in parallel and travels in a few large elements instead of one element per word (each
 * element of a grouping is a bundle of its own on the Direct runner, which made per-word elements very slow).
 *
 * <p>An open-addressing table (words, counts and hashes in parallel arrays): a counted word costs its string and 20
 * bytes, and a word seen again in a document is counted without allocating (see {@link #add(String, int, int)}).
 */
@DefaultCoder(WordTable.TableCoder.class)
public final class WordTable {
  private String[] words;
  private long[] counts;
  private int[] hashes;
  private int size;
  private int mask;

  public WordTable() {
    this(16);
  }

  private WordTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    words = new String[capacity];
    counts = new long[capacity];
    hashes = new int[capacity];
    mask = capacity - 1;
  }

  /** The shard of a word among {@code shards}. */
  static int shardOf(String word, int shards) {
    return shardOfHash(word.hashCode(), shards);
  }

  private static int shardOfHash(int hash, int shards) {
    return Math.floorMod(hash * 0x9E3779B9, shards);
  }

  /** Counts {@code text[start, end)} once; allocates only the first time the word is seen. */
  public void add(String text, int start, int end) {
    int hash = 0;
    for (int i = start; i < end; i++) {
      hash = 31 * hash + text.charAt(i); // String.hashCode of the substring
    }
    int length = end - start;
    int slot = mix(hash) & mask;
    while (words[slot] != null) {
      if (hashes[slot] == hash && words[slot].length() == length && words[slot].regionMatches(0, text, start, length)) {
        counts[slot]++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    insert(slot, text.substring(start, end), hash, 1);
  }

  public void add(String word, long count) {
    int hash = word.hashCode();
    int slot = mix(hash) & mask;
    while (words[slot] != null) {
      if (hashes[slot] == hash && words[slot].equals(word)) {
        counts[slot] += count;
        return;
      }
      slot = (slot + 1) & mask;
    }
    insert(slot, word, hash, count);
  }

  public void addAll(WordTable other) {
    for (int i = 0; i < other.words.length; i++) {
      if (other.words[i] != null) {
        add(other.words[i], other.counts[i]);
      }
    }
  }

  public int size() {
    return size;
  }

  public long count(String word) {
    int hash = word.hashCode();
    for (int slot = mix(hash) & mask; words[slot] != null; slot = (slot + 1) & mask) {
      if (hashes[slot] == hash && words[slot].equals(word)) {
        return counts[slot];
      }
    }
    return 0;
  }

  /** Calls {@code action} with each word and its count. */
  public void forEach(WordCountConsumer action) {
    for (int i = 0; i < words.length; i++) {
      if (words[i] != null) {
        action.accept(words[i], counts[i]);
      }
    }
  }

  /** A word and its count. */
  @FunctionalInterface
  public interface WordCountConsumer {
    void accept(String word, long count);
  }

  /** Splits this table by {@link #shardOf}, handing each non-empty shard and its number to {@code action}. */
  void splitInto(int shards, ObjIntConsumer<WordTable> action) {
    WordTable[] parts = new WordTable[shards];
    for (int i = 0; i < words.length; i++) {
      if (words[i] != null) {
        int shard = shardOfHash(hashes[i], shards);
        if (parts[shard] == null) {
          parts[shard] = new WordTable(size / shards + 1);
        }
        parts[shard].add(words[i], counts[i]);
      }
    }
    for (int shard = 0; shard < shards; shard++) {
      if (parts[shard] != null) {
        action.accept(parts[shard], shard);
      }
    }
  }

  private void insert(int slot, String word, int hash, long count) {
    words[slot] = word;
    hashes[slot] = hash;
    counts[slot] = count;
    if (++size * 2 > words.length) {
      grow();
    }
  }

  private void grow() {
    String[] oldWords = words;
    long[] oldCounts = counts;
    int[] oldHashes = hashes;
    words = new String[oldWords.length * 2];
    counts = new long[words.length];
    hashes = new int[words.length];
    mask = words.length - 1;
    for (int i = 0; i < oldWords.length; i++) {
      if (oldWords[i] != null) {
        int slot = mix(oldHashes[i]) & mask;
        while (words[slot] != null) {
          slot = (slot + 1) & mask;
        }
        words[slot] = oldWords[i];
        counts[slot] = oldCounts[i];
        hashes[slot] = oldHashes[i];
      }
    }
  }

  /** String hashes of similar words differ in low bits only; spread them over the table. */
  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** Sums tables (the combiner of a shard). */
  static CombineFn<WordTable, WordTable, WordTable> sum() {
    return new CombineFn<>() {
      @Override
      public WordTable createAccumulator() {
        return new WordTable();
      }

      @Override
      public WordTable addInput(WordTable sum, WordTable table) {
        sum.addAll(table);
        return sum;
      }

      @Override
      public WordTable mergeAccumulators(Iterable<WordTable> sums) {
        WordTable merged = new WordTable();
        sums.forEach(merged::addAll);
        return merged;
      }

      @Override
      public WordTable extractOutput(WordTable sum) {
        return sum;
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof WordTable) || ((WordTable) o).size != size) {
      return false;
    }
    WordTable other = (WordTable) o;
    for (int i = 0; i < words.length; i++) {
      if (words[i] != null && other.count(words[i]) != counts[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return size;
  }

  @Override
  public String toString() {
    return "WordTable{" + size + " words}";
  }

  /** Size, then (word, count) pairs. Not deterministic (hash order): never use a table as a grouping key. */
  public static final class TableCoder extends AtomicCoder<WordTable> {
    private static final StringUtf8Coder WORD = StringUtf8Coder.of();
    private static final VarLongCoder COUNT = VarLongCoder.of();
    private static final VarIntCoder SIZE = VarIntCoder.of();

    public static TableCoder of() {
      return new TableCoder();
    }

    /** What {@code @DefaultCoder} looks for. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(WordTable.class), of());
    }

    @Override
    public void encode(WordTable table, OutputStream out) throws IOException {
      SIZE.encode(table.size, out);
      for (int i = 0; i < table.words.length; i++) {
        if (table.words[i] != null) {
          WORD.encode(table.words[i], out);
          COUNT.encode(table.counts[i], out);
        }
      }
    }

    @Override
    public WordTable decode(InputStream in) throws IOException {
      int size = SIZE.decode(in);
      WordTable table = new WordTable(size);
      for (int i = 0; i < size; i++) {
        table.add(WORD.decode(in), COUNT.decode(in));
      }
      return table;
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "a word table encodes its words in hash order");
    }
  }
}
