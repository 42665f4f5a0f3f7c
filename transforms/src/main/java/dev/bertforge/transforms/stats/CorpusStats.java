package dev.bertforge.transforms.stats;

import dev.bertforge.transforms.io.Document;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Documents, UTF-8 text bytes, characters (Unicode code points) and the distribution of document lengths in
 * characters, combined in bounded memory ({@link LengthHistogram}); see {@link #combineFn()}.
 */
public final class CorpusStats implements java.io.Serializable {
  private long documents;
  private long textBytes;
  private long characters;
  private LengthHistogram lengths = new LengthHistogram();

  public long documents() {
    return documents;
  }

  public long textBytes() {
    return textBytes;
  }

  public long characters() {
    return characters;
  }

  /** Document lengths in characters. */
  public LengthHistogram lengths() {
    return lengths;
  }

  void add(String text) {
    long bytes = 0;
    long codePoints = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      codePoints++;
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    documents++;
    textBytes += bytes;
    characters += codePoints;
    lengths.add(codePoints);
  }

  void merge(CorpusStats other) {
    documents += other.documents;
    textBytes += other.textBytes;
    characters += other.characters;
    lengths.merge(other.lengths);
  }

  /** Combines documents into their {@link CorpusStats}. */
  public static Combine.CombineFn<Document, CorpusStats, CorpusStats> combineFn() {
    return new StatsFn();
  }

  private static final class StatsFn extends Combine.CombineFn<Document, CorpusStats, CorpusStats> {
    @Override
    public CorpusStats createAccumulator() {
      return new CorpusStats();
    }

    @Override
    public CorpusStats addInput(CorpusStats stats, Document document) {
      stats.add(document.text());
      return stats;
    }

    @Override
    public CorpusStats mergeAccumulators(Iterable<CorpusStats> all) {
      CorpusStats merged = new CorpusStats();
      for (CorpusStats stats : all) {
        merged.merge(stats);
      }
      return merged;
    }

    @Override
    public CorpusStats extractOutput(CorpusStats stats) {
      return stats;
    }

    @Override
    public Coder<CorpusStats> getAccumulatorCoder(CoderRegistry registry, Coder<Document> inputCoder) {
      return new StatsCoder();
    }

    @Override
    public Coder<CorpusStats> getDefaultOutputCoder(CoderRegistry registry, Coder<Document> inputCoder) {
      return new StatsCoder();
    }
  }

  /** A compact coder: three counts and the non-empty buckets of the histogram. */
  public static final class StatsCoder extends AtomicCoder<CorpusStats> {
    @Override
    public void encode(CorpusStats stats, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(stats.documents);
      data.writeLong(stats.textBytes);
      data.writeLong(stats.characters);
      stats.lengths.writeTo(data);
      data.flush();
    }

    @Override
    public CorpusStats decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      CorpusStats stats = new CorpusStats();
      stats.documents = data.readLong();
      stats.textBytes = data.readLong();
      stats.characters = data.readLong();
      stats.lengths = LengthHistogram.readFrom(data);
      return stats;
    }
  }
}
