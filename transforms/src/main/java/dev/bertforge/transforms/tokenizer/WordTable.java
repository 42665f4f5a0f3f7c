package dev.bertforge.transforms.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
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
 */
@DefaultCoder(WordTable.TableCoder.class)
public final class WordTable {
  private final Map<String, long[]> counts;

  public WordTable() {
    this(new HashMap<>());
  }

  private WordTable(Map<String, long[]> counts) {
    this.counts = counts;
  }

  /** The shard of a word among {@code shards}. */
  static int shardOf(String word, int shards) {
    return Math.floorMod(word.hashCode() * 0x9E3779B9, shards);
  }

  public void add(String word, long count) {
    long[] c = counts.get(word);
    if (c == null) {
      counts.put(word, new long[] {count});
    } else {
      c[0] += count;
    }
  }

  public void addAll(WordTable other) {
    other.counts.forEach((word, count) -> add(word, count[0]));
  }

  public int size() {
    return counts.size();
  }

  public long count(String word) {
    long[] c = counts.get(word);
    return c == null ? 0 : c[0];
  }

  /** Calls {@code action} with each word and its count. */
  public void forEach(WordCountConsumer action) {
    counts.forEach((word, count) -> action.accept(word, count[0]));
  }

  /** A word and its count. */
  @FunctionalInterface
  public interface WordCountConsumer {
    void accept(String word, long count);
  }

  /** Splits this table by {@link #shardOf}, handing each non-empty shard and its number to {@code action}. */
  void splitInto(int shards, ObjIntConsumer<WordTable> action) {
    WordTable[] parts = new WordTable[shards];
    counts.forEach((word, count) -> {
      int shard = shardOf(word, shards);
      if (parts[shard] == null) {
        parts[shard] = new WordTable();
      }
      parts[shard].counts.put(word, count);
    });
    for (int shard = 0; shard < shards; shard++) {
      if (parts[shard] != null) {
        action.accept(parts[shard], shard);
      }
    }
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
    if (!(o instanceof WordTable)) {
      return false;
    }
    WordTable other = (WordTable) o;
    if (other.size() != size()) {
      return false;
    }
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      if (other.count(e.getKey()) != e.getValue()[0]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return size();
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
      SIZE.encode(table.size(), out);
      for (Map.Entry<String, long[]> e : table.counts.entrySet()) {
        WORD.encode(e.getKey(), out);
        COUNT.encode(e.getValue()[0], out);
      }
    }

    @Override
    public WordTable decode(InputStream in) throws IOException {
      int size = SIZE.decode(in);
      Map<String, long[]> counts = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
      for (int i = 0; i < size; i++) {
        counts.put(WORD.decode(in), new long[] {COUNT.decode(in)});
      }
      return new WordTable(counts);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "a word table encodes its words in hash order");
    }
  }
}
