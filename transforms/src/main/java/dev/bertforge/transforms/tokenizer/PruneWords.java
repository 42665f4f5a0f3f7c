package dev.bertforge.transforms.tokenizer;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Drops the rare words before the word table travels to the single merge step: those seen fewer than
 * {@code minWordCount} times and, with {@code maxWords}, all but the most frequent (the cut comes from the
 * {@link WordHistogram}, so it is the same on every worker). With the defaults nothing is dropped.
 */
final class PruneWords extends PTransform<PCollection<WordTable>, PCollection<WordTable>> {
  private final long minWordCount;
  private final long maxWords;
  private final PCollectionView<WordHistogram> histogram;

  PruneWords(long minWordCount, long maxWords, PCollectionView<WordHistogram> histogram) {
    this.minWordCount = minWordCount;
    this.maxWords = maxWords;
    this.histogram = histogram;
  }

  @Override
  public PCollection<WordTable> expand(PCollection<WordTable> wordCounts) {
    if (minWordCount <= 1 && maxWords <= 0) {
      return wordCounts;
    }
    return wordCounts.apply(ParDo.of(new KeepFrequentFn(minWordCount, maxWords, histogram)).withSideInputs(histogram));
  }

  private static final class KeepFrequentFn extends DoFn<WordTable, WordTable> {
    private final Counter pruned = Metrics.counter(PruneWords.class, "pruned-words");
    private final long minWordCount;
    private final long maxWords;
    private final PCollectionView<WordHistogram> histogram;
    private transient long cutoff;

    KeepFrequentFn(long minWordCount, long maxWords, PCollectionView<WordHistogram> histogram) {
      this.minWordCount = minWordCount;
      this.maxWords = maxWords;
      this.histogram = histogram;
    }

    @StartBundle
    public void startBundle() {
      cutoff = -1;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      if (cutoff < 0) {
        cutoff = c.sideInput(histogram).cutoff(minWordCount, maxWords);
      }
      WordTable kept = new WordTable();
      c.element().forEach((word, count) -> {
        if (count >= cutoff) {
          kept.add(word, count);
        } else {
          pruned.inc();
        }
      });
      c.output(kept);
    }
  }
}
