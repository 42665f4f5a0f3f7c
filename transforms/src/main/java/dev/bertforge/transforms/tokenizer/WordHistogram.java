package dev.bertforge.transforms.tokenizer;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * For each word count, how many distinct words have it and how many bytes of text they stand for: small (at most
 * √(2·occurrences) entries), yet enough to choose the pruning cut and to say exactly what pruning removed.
 */
@DefaultCoder(SerializableCoder.class)
public final class WordHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** count → {distinct words, their UTF-8 bytes × count}. */
  private final TreeMap<Long, long[]> byCount = new TreeMap<>();

  public static CombineFn<WordTable, WordHistogram, WordHistogram> combineFn() {
    return new HistogramFn();
  }

  void add(long count, long wordBytes) {
    long[] entry = byCount.computeIfAbsent(count, c -> new long[2]);
    entry[0]++;
    entry[1] += wordBytes * count;
  }

  void addAll(WordHistogram other) {
    other.byCount.forEach((count, entry) -> {
      long[] mine = byCount.computeIfAbsent(count, c -> new long[2]);
      mine[0] += entry[0];
      mine[1] += entry[1];
    });
  }

  /** Distinct words, their occurrences (pre-tokens) and the bytes of text they cover (UTF-8, after NFC). */
  public record Totals(long words, long occurrences, long bytes) implements Serializable {}

  /** Totals over the whole corpus. */
  public Totals totals() {
    return totals(byCount);
  }

  /**
   * The smallest count a word needs to be kept: at least {@code minWordCount} and, if {@code maxWords > 0}, high enough
   * that at most {@code maxWords} words have it (words of equal count are kept or pruned together, so the result does
   * not depend on their order). {@code Long.MAX_VALUE} if even the most frequent words are too many.
   */
  public long cutoff(long minWordCount, long maxWords) {
    long cutoff = Math.max(1, minWordCount);
    if (maxWords <= 0) {
      return cutoff;
    }
    long kept = 0;
    long lowestKept = Long.MAX_VALUE;
    for (Map.Entry<Long, long[]> e : byCount.descendingMap().entrySet()) {
      if (e.getKey() < cutoff || kept + e.getValue()[0] > maxWords) {
        break;
      }
      kept += e.getValue()[0];
      lowestKept = e.getKey();
    }
    return Math.max(cutoff, lowestKept);
  }

  /** Totals of the words whose count is below {@code cutoff}: what pruning at that cut removes. */
  public Totals below(long cutoff) {
    return totals(byCount.headMap(cutoff, false));
  }

  /** UTF-8 length without encoding (the word table holds hundreds of millions of words). */
  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3; // lone surrogates are encoded as '?' (1 byte) by Java; normalization replaced them with U+FFFD
      }
    }
    return bytes;
  }

  private static Totals totals(Map<Long, long[]> part) {
    long words = 0;
    long occurrences = 0;
    long bytes = 0;
    for (Map.Entry<Long, long[]> e : part.entrySet()) {
      words += e.getValue()[0];
      occurrences += e.getValue()[0] * e.getKey();
      bytes += e.getValue()[1];
    }
    return new Totals(words, occurrences, bytes);
  }

  private static final class HistogramFn extends CombineFn<WordTable, WordHistogram, WordHistogram> {
    @Override
    public WordHistogram createAccumulator() {
      return new WordHistogram();
    }

    @Override
    public WordHistogram addInput(WordHistogram histogram, WordTable table) {
      table.forEach((word, count) -> histogram.add(count, utf8Length(word)));
      return histogram;
    }

    @Override
    public WordHistogram mergeAccumulators(Iterable<WordHistogram> histograms) {
      WordHistogram merged = new WordHistogram();
      histograms.forEach(merged::addAll);
      return merged;
    }

    @Override
    public WordHistogram extractOutput(WordHistogram histogram) {
      return histogram;
    }
  }
}
