package dev.bertforge.transforms.tokenizer;

import dev.bertforge.transforms.io.Document;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts the words (pre-tokens) of a corpus as HF's trainer does: each document is NFC-normalized and split with the
 * GPT-2 pattern as a whole. Words are counted in a table per bundle, which is split into {@code shards} by word hash
 * and summed per shard with a combiner; the result is one {@link WordTable} per shard, each word in exactly one.
 * Words are the raw pieces; their byte-level form is made only at the merge step.
 */
public final class CountWords extends PTransform<PCollection<Document>, PCollection<WordTable>> {
  /** A bundle's table is flushed when it holds this many words, so a huge bundle cannot exhaust memory. */
  private static final int MAX_WORDS_PER_FLUSH = 1 << 20;

  private final int shards;

  /** Counts into {@code shards} tables: more shards, more parallel summing and smaller elements. */
  public static CountWords inShards(int shards) {
    return new CountWords(shards);
  }

  private CountWords(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be positive, was " + shards);
    }
    this.shards = shards;
  }

  @Override
  public PCollection<WordTable> expand(PCollection<Document> documents) {
    return documents
        .apply("CountInBundle", ParDo.of(new CountInBundleFn(shards)))
        .apply("SumShards", Combine.perKey(WordTable.sum()))
        .apply("Tables", Values.create());
  }

  /** Splits documents and counts their words in a table per bundle (the corpus is in the global window). */
  static final class CountInBundleFn extends DoFn<Document, KV<Integer, WordTable>> {
    private final Counter documents = Metrics.counter(CountWords.class, "documents");
    private final Counter characters = Metrics.counter(CountWords.class, "characters");
    private final Counter words = Metrics.counter(CountWords.class, "words");
    private final int shards;
    private transient WordTable table;

    CountInBundleFn(int shards) {
      this.shards = shards;
    }

    @StartBundle
    public void startBundle() {
      table = new WordTable();
    }

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<KV<Integer, WordTable>> out) {
      String text = PreTokenizer.normalize(document.text());
      long[] pieces = {0};
      Gpt2Split.split(text, (t, start, end) -> {
        table.add(t, start, end);
        pieces[0]++;
      });
      documents.inc();
      characters.inc(text.length());
      words.inc(pieces[0]);
      if (table.size() >= MAX_WORDS_PER_FLUSH) {
        table.splitInto(shards, (part, shard) -> out.output(KV.of(shard, part)));
        table = new WordTable();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      table.splitInto(shards, (part, shard) ->
          context.output(KV.of(shard, part), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      table = null;
    }
  }
}
