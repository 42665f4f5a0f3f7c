package dev.bertforge.transforms.tokenizer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.TrainTokenizerOptions.SpecialTokenPosition;
import dev.bertforge.transforms.io.Document;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The merge step: runs once, on the corpus's {@link WordHistogram}, reads the (pruned) word table from a side input,
 * trains BPE, writes the tokenizer and report.json, and outputs the tokenizer directory.
 */
final class TrainBpeFn extends DoFn<WordHistogram, String> {
  private final String directory;
  private final int vocabSize;
  private final long minFrequency;
  private final long minWordCount;
  private final long maxWords;
  private final SpecialTokenPosition position;
  private final long launchedMillis;
  private final PCollectionView<Iterable<WordTable>> wordTable;
  private final PCollectionView<Iterable<Document>> heldOut;

  TrainBpeFn(TrainTokenizer spec, PCollectionView<Iterable<WordTable>> wordTable,
      PCollectionView<Iterable<Document>> heldOut) {
    this.directory = spec.outputDirectory();
    this.vocabSize = spec.vocabSize();
    this.minFrequency = spec.minFrequency();
    this.minWordCount = spec.minWordCount();
    this.maxWords = spec.maxWords();
    this.position = spec.specialTokenPosition();
    this.launchedMillis = System.currentTimeMillis();
    this.wordTable = wordTable;
    this.heldOut = heldOut;
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    WordHistogram histogram = c.element();
    if (histogram.totals().occurrences() == 0) {
      throw new IllegalStateException("the corpus is empty: no document reached the tokenizer with any text");
    }
    long cutoff = histogram.cutoff(minWordCount, maxWords);
    if (cutoff == Long.MAX_VALUE) {
      throw new IllegalArgumentException("--maxWords=" + maxWords + " keeps no word: more words than that share the "
          + "highest count; raise --maxWords");
    }
    long started = System.nanoTime();
    Words words = new Words();
    for (WordTable shard : c.sideInput(wordTable)) {
      shard.forEach(words::add);
    }
    double loaded = TokenizerReport.seconds(started);

    started = System.nanoTime();
    int trainedVocab = vocabSize - TokenizerJson.SPECIAL_TOKENS.size();
    BpeModel model = new BpeTrainer(trainedVocab, minFrequency).train(words);
    double merged = TokenizerReport.seconds(started);

    ObjectNode report = JsonNodeFactory.instance.objectNode();
    report.put("mode", "trained");
    report.put("requested_vocab_size", vocabSize);
    report.put("min_frequency", minFrequency);
    report.put("merges", model.mergeCount());
    report.put("stopped", model.tokens().size() >= trainedVocab
        ? "vocab size reached" : "no pair left that occurs at least --minFrequency times");
    report.set("corpus", TokenizerReport.corpus(histogram));
    report.set("pruning", TokenizerReport.pruning(histogram, minWordCount, maxWords, cutoff));
    report.putObject("timings_seconds")
        .put("read_word_table", loaded)
        .put("merge", merged)
        .put("since_launch", (System.currentTimeMillis() - launchedMillis) / 1000.0);
    TokenizerReport.write(directory, TokenizerJson.of(model, position), report, c.sideInput(heldOut));
    c.output(directory);
  }
}
