package dev.bertforge.trainer.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.data.DataPosition;
import dev.bertforge.trainer.data.DataSource;
import dev.bertforge.trainer.data.MixedRows;
import dev.bertforge.trainer.data.RowStream;
import dev.bertforge.trainer.data.ShardManifest;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.data.ShuffledRows;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shard sets a stage reads, opened and checked: every training and validation source made with the first
 * training source's tokenizer, and rows as long as the stage's. Gives the training rows: one shuffled shard set, or a
 * {@link MixedRows} mixture when {@code data.train} lists sources.
 */
final class StageShards {
  private final StageConfig config;
  private final List<MixedRows.Source> train;
  private final List<MixedRows.Source> validation;

  private StageShards(StageConfig config, List<MixedRows.Source> train, List<MixedRows.Source> validation) {
    this.config = config;
    this.train = train;
    this.validation = validation;
  }

  static StageShards open(StageConfig config) throws IOException {
    List<MixedRows.Source> train = open(config.data().train(), "data.train", config);
    List<MixedRows.Source> validation = open(config.data().validation(), "data.validation", config);
    MixedRows.Source reference = train.get(0);
    checkTokenizer(reference, train, "training");
    checkTokenizer(reference, validation, "validation");
    return new StageShards(config, train, validation);
  }

  private static List<MixedRows.Source> open(List<DataSource> sources, String key, StageConfig config)
      throws IOException {
    List<MixedRows.Source> opened = new ArrayList<>();
    for (DataSource source : sources) {
      ShardSet shards;
      try {
        shards = ShardSet.open(source.path());
      } catch (IOException e) {
        throw new IOException(key + " source '" + source.name() + "': " + e.getMessage(), e);
      }
      RowLengthCheck.check(shards, key.equals("data.train") ? "training" : "validation", config);
      opened.add(new MixedRows.Source(source.name(), shards, source.weight()));
    }
    return List.copyOf(opened);
  }

  private static void checkTokenizer(MixedRows.Source reference, List<MixedRows.Source> sources, String role)
      throws IOException {
    for (MixedRows.Source source : sources) {
      String difference = ShardSet.tokenizerDifference(reference.shards().manifest(), source.shards().manifest());
      if (difference != null) {
        throw new IOException("the " + role + " source '" + source.name() + "' (" + source.shards().glob()
            + ") comes from another tokenizer than the training source '" + reference.name() + "' ("
            + reference.shards().glob() + "): " + difference + ". Every source of a stage must be pretokenized "
            + "with one tokenizer (./bertforge pretokenize --tokenizer=DIR of the first run's tokenizer/)");
      }
    }
  }

  /** The first training source: its manifest names the tokenizer, its folder may hold the tokenizer files. */
  ShardSet first() {
    return train.get(0).shards();
  }

  ShardManifest manifest() {
    return first().manifest();
  }

  boolean mixture() {
    return config.data().mixture();
  }

  List<MixedRows.Source> validation() {
    return validation;
  }

  long trainRows() {
    return train.stream().mapToLong(s -> s.shards().rows()).sum();
  }

  long trainTokens() {
    return train.stream().mapToLong(s -> s.shards().tokens()).sum();
  }

  int trainShardFiles() {
    return train.stream().mapToInt(s -> s.shards().shards().size()).sum();
  }

  /** The training rows from {@code start}: one looping shuffled shard set, or the mixture. */
  RowStream trainRows(DataPosition start) {
    StageConfig.Data data = config.data();
    int vocab = manifest().vocabSize();
    if (mixture()) {
      return new MixedRows(train, config.stageSeed(), data.shuffleWindowBytes(), data.maxSeqLen(), vocab, start);
    }
    if (start.sources() != null) {
      throw new IllegalArgumentException("the checkpoint was written by a stage reading the mixture "
          + start.sources().stream().map(DataPosition.SourcePosition::name).toList()
          + "; resume with the data.train it was started with");
    }
    return new ShuffledRows(first(), config.stageSeed(), true, data.shuffleWindowBytes(), data.maxSeqLen(), vocab,
        true, start);
  }

  /**
   * One line per mixture source: weight, size and how many passes over it the stage's token budget means (the
   * upsampling a user asked for, made visible before the stage starts).
   */
  List<String> mixtureLines() {
    double total = train.stream().mapToDouble(MixedRows.Source::weight).sum();
    long budget = config.budget().tokens();
    List<String> lines = new ArrayList<>();
    for (MixedRows.Source s : train) {
      double share = s.weight() / total;
      lines.add(String.format(Locale.ROOT, "source %s: weight %.3f, %s tokens in %d rows (%s)%s", s.name(), share,
          ProgressLine.human(s.shards().tokens()), s.shards().rows(), s.shards().glob(), budget <= 0 ? ""
              : String.format(Locale.ROOT, "; %.2f epochs of it in this stage's %s-token budget",
                  share * budget / s.shards().tokens(), ProgressLine.human(budget))));
    }
    return lines;
  }

  /**
   * Adds to a train record, at the data position after its step: {@code source_tokens} (real tokens drawn from each
   * source in this stage) and {@code source_epochs} (those over the source's size: 1.5 is one and a half passes).
   */
  void putMixture(ObjectNode record, DataPosition position) {
    ObjectNode tokens = record.putObject("source_tokens");
    ObjectNode epochs = record.putObject("source_epochs");
    for (int i = 0; i < train.size(); i++) {
      DataPosition.SourcePosition at = position.sources().get(i);
      tokens.put(at.name(), at.tokens());
      epochs.put(at.name(), epochs(i, at));
    }
  }

  /** The mixture's part of the progress line: each source's share of the tokens so far and its epochs. */
  String mixtureProgress(DataPosition position) {
    long total = position.sources().stream().mapToLong(DataPosition.SourcePosition::tokens).sum();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < train.size(); i++) {
      DataPosition.SourcePosition at = position.sources().get(i);
      line.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f%% (%.2f ep)", at.name(),
          100.0 * at.tokens() / Math.max(1, total), epochs(i, at)));
    }
    return line.toString();
  }

  private double epochs(int source, DataPosition.SourcePosition at) {
    return (double) at.tokens() / train.get(source).shards().tokens();
  }
}
