package dev.bertforge.transforms.tokenizer;

import com.google.auto.value.AutoValue;
import dev.bertforge.options.TrainTokenizerOptions;
import dev.bertforge.options.TrainTokenizerOptions.SpecialTokenPosition;
import dev.bertforge.transforms.io.Document;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a byte-level BPE tokenizer on a corpus and writes it to a directory: {@code tokenizer.json},
 * {@code tokenizer_config.json}, {@code special_tokens_map.json} and {@code report.json}. With the default settings
 * the tokenizer is exactly the one Hugging Face's {@code BpeTrainer} trains with {@code train_from_iterator} on the
 * same documents (NFC, {@code ByteLevel(add_prefix_space=false)}, the five BERT specials, the 256-byte alphabet).
 *
 * <pre>
 * documents ─▶ held out? ─┬─ training ─▶ CountWords ─▶ WordHistogram ─────────────▶ TrainBpeFn ─▶ directory
 *                         │                  └──────▶ PruneWords ─▶ word table ──┘ (side input)     ▲
 *                         └─ held out ─────────────────────────────────────────────────────────────┘ (bytes/token)
 * </pre>
 *
 * <p>The output is a single-element {@code PCollection<String>}: the directory, once every file is written. A later
 * step (e.g. pretokenizing in the same pipeline) takes it as a side input, which makes it wait for the tokenizer, and
 * reads {@code DIR/tokenizer.json} through {@code FileSystems}.
 */
@AutoValue
public abstract class TrainTokenizer extends PTransform<PCollection<Document>, PCollection<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainTokenizer.class);

  abstract String outputDirectory();

  abstract int vocabSize();

  abstract long minFrequency();

  abstract long minWordCount();

  abstract long maxWords();

  abstract SpecialTokenPosition specialTokenPosition();

  abstract double heldOutFraction();

  abstract int wordTableShards();

  abstract @Nullable String baseTokenizer();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setOutputDirectory(String directory);

    abstract Builder setVocabSize(int vocabSize);

    abstract Builder setMinFrequency(long minFrequency);

    abstract Builder setMinWordCount(long minWordCount);

    abstract Builder setMaxWords(long maxWords);

    abstract Builder setSpecialTokenPosition(SpecialTokenPosition position);

    abstract Builder setHeldOutFraction(double fraction);

    abstract Builder setWordTableShards(int shards);

    abstract Builder setBaseTokenizer(@Nullable String path);

    abstract TrainTokenizer autoBuild();

    TrainTokenizer build() {
      TrainTokenizer spec = autoBuild();
      spec.validate();
      return spec;
    }
  }

  /** Training with HF's defaults of bertforge: vocab 50368, min frequency 2, no pruning, 1% held out. */
  public static TrainTokenizer to(String outputDirectory) {
    return new AutoValue_TrainTokenizer.Builder()
        .setOutputDirectory(outputDirectory)
        .setVocabSize(50368)
        .setMinFrequency(2)
        .setMinWordCount(1)
        .setMaxWords(0)
        .setSpecialTokenPosition(SpecialTokenPosition.FIRST)
        .setHeldOutFraction(0.01)
        .setWordTableShards(16)
        .build();
  }

  /** Training configured from command-line options. */
  public static TrainTokenizer from(TrainTokenizerOptions options, String outputDirectory) {
    return to(outputDirectory).toBuilder()
        .setVocabSize(options.getVocabSize())
        .setMinFrequency(options.getMinFrequency())
        .setMinWordCount(options.getMinWordCount())
        .setMaxWords(options.getMaxWords())
        .setSpecialTokenPosition(options.getSpecialTokenPosition())
        .setHeldOutFraction(options.getHeldOutFraction())
        .setWordTableShards(options.getWordTableShards())
        .setBaseTokenizer(options.getBaseTokenizer())
        .build();
  }

  /** The vocabulary size, counting specials and the 256 byte characters. */
  public TrainTokenizer withVocabSize(int vocabSize) {
    return toBuilder().setVocabSize(vocabSize).build();
  }

  public TrainTokenizer withMinFrequency(long minFrequency) {
    return toBuilder().setMinFrequency(minFrequency).build();
  }

  /** Prunes words seen fewer times before the merge step (changes the result: not HF's any more). */
  public TrainTokenizer withMinWordCount(long minWordCount) {
    return toBuilder().setMinWordCount(minWordCount).build();
  }

  /** Keeps at most this many of the most frequent words for the merge step; 0 = all. */
  public TrainTokenizer withMaxWords(long maxWords) {
    return toBuilder().setMaxWords(maxWords).build();
  }

  public TrainTokenizer withSpecialTokenPosition(SpecialTokenPosition position) {
    return toBuilder().setSpecialTokenPosition(position).build();
  }

  /** The fraction of documents kept out of training to measure bytes per token; 0 trains on all. */
  public TrainTokenizer withHeldOutFraction(double fraction) {
    return toBuilder().setHeldOutFraction(fraction).build();
  }

  /**
   * Counts and sums the word table in this many shards: few for the Direct runner (each shard is a bundle), more for
   * tens of millions of distinct words on a cluster (each shard is one element).
   */
  public TrainTokenizer withWordTableShards(int shards) {
    return toBuilder().setWordTableShards(shards).build();
  }

  /** Adopts an existing tokenizer.json (the file, or a directory holding it) instead of training. */
  public TrainTokenizer adopting(String baseTokenizer) {
    return toBuilder().setBaseTokenizer(baseTokenizer).build();
  }

  /**
   * With a base tokenizer, reads it and checks it can be adopted, so that a wrong path stops the run before any
   * document is read; without one, does nothing. Needs the filesystems registered ({@code
   * FileSystems.setDefaultPipelineOptions}) for remote paths.
   */
  public void checkBaseTokenizer() {
    if (baseTokenizer() != null) {
      AdoptTokenizerFn.read(baseTokenizer());
    }
  }

  private void validate() {
    int minimum = TokenizerJson.SPECIAL_TOKENS.size() + ByteLevel.ALPHABET_SIZE;
    if (vocabSize() < minimum) {
      throw new IllegalArgumentException("--vocabSize=" + vocabSize() + " is too small: the " + ByteLevel.ALPHABET_SIZE
          + " byte characters and " + TokenizerJson.SPECIAL_TOKENS.size() + " special tokens alone take " + minimum);
    }
    if (minFrequency() < 0 || minWordCount() < 0 || maxWords() < 0) {
      throw new IllegalArgumentException("--minFrequency, --minWordCount and --maxWords must not be negative");
    }
    if (wordTableShards() < 1) {
      throw new IllegalArgumentException("--wordTableShards=" + wordTableShards() + " must be positive");
    }
    if (!(heldOutFraction() >= 0 && heldOutFraction() < 1)) {
      throw new IllegalArgumentException("--heldOutFraction=" + heldOutFraction() + " must be in [0, 1)");
    }
    if (vocabSize() % 64 != 0 && baseTokenizer() == null) {
      LOG.warn("--vocabSize={} is not a multiple of 64; embedding matrices run faster when it is", vocabSize());
    }
  }

  @Override
  public PCollection<String> expand(PCollection<Document> documents) {
    PCollection<Document> training = documents;
    PCollection<Document> heldOutDocuments;
    if (heldOutFraction() > 0) {
      PCollectionTuple split = documents.apply("HoldOut", ParDo.of(new HeldOut.SplitFn(heldOutFraction()))
          .withOutputTags(HeldOut.TRAINING, TupleTagList.of(HeldOut.HELD_OUT)));
      training = split.get(HeldOut.TRAINING).setCoder(documents.getCoder());
      heldOutDocuments = split.get(HeldOut.HELD_OUT).setCoder(documents.getCoder());
    } else {
      heldOutDocuments = documents.getPipeline().apply("NoHeldOut", Create.empty(documents.getCoder()));
    }
    PCollectionView<Iterable<Document>> heldOut = heldOutDocuments.apply("HeldOutView", View.asIterable());

    if (baseTokenizer() != null) {
      return documents.getPipeline()
          .apply("BaseTokenizer", Create.of(baseTokenizer()))
          .apply("Adopt", ParDo.of(new AdoptTokenizerFn(outputDirectory(), heldOut)).withSideInputs(heldOut));
    }
    PCollection<WordTable> wordCounts = training.apply("CountWords", CountWords.inShards(wordTableShards()));
    PCollection<WordHistogram> histogram =
        wordCounts.apply("Histogram", Combine.globally(WordHistogram.combineFn()));
    PCollectionView<WordHistogram> histogramView = histogram.apply("HistogramView", View.asSingleton());
    PCollectionView<Iterable<WordTable>> wordTable = wordCounts
        .apply("PruneWords", new PruneWords(minWordCount(), maxWords(), histogramView))
        .apply("WordTable", View.asIterable());
    return histogram.apply("TrainBpe",
        ParDo.of(new TrainBpeFn(this, wordTable, heldOut)).withSideInputs(wordTable, heldOut));
  }
}
