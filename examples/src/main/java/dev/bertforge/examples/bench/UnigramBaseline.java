package dev.bertforge.examples.bench;

import dev.bertforge.trainer.data.DataPosition;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.data.ShuffledRows;
import dev.bertforge.trainer.data.SpecialTokens;
import dev.bertforge.trainer.data.TokenRow;
import java.io.IOException;
import java.util.Locale;

/**
 * The loss a model that ignores context would reach: token frequencies counted on the training shards
 * (add-one smoothed), then the mean {@code −ln p(token)} over the non-special tokens of the validation
 * shards, the tokens an MLM evaluation masks. Also prints the entropy of the training distribution.
 *
 * <p>{@code java ... UnigramBaseline TRAIN_GLOB VALIDATION_GLOB} prints one JSON line.
 */
public final class UnigramBaseline {
  private UnigramBaseline() {}

  public static void main(String[] args) throws IOException {
    ShardSet train = ShardSet.open(args[0]);
    ShardSet validation = ShardSet.open(args[1]);
    int vocab = train.manifest().vocabSize();
    SpecialTokens specials = train.manifest().specialTokenIds();
    long[] counts = new long[vocab];
    long total = 0;
    try (ShuffledRows rows = reader(train)) {
      for (TokenRow row = rows.next(); row != null; row = rows.next()) {
        for (int id : row.inputIds()) {
          counts[id]++;
          total++;
        }
      }
    }
    double entropy = 0;
    for (long count : counts) {
      if (count > 0) {
        double p = (double) count / total;
        entropy -= p * Math.log(p);
      }
    }
    double crossEntropy = 0;
    long scored = 0;
    try (ShuffledRows rows = reader(validation)) {
      for (TokenRow row = rows.next(); row != null; row = rows.next()) {
        for (int id : row.inputIds()) {
          if (!specials.isSpecial(id)) {
            crossEntropy -= Math.log((counts[id] + 1.0) / (total + vocab));
            scored++;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT,
        "{\"unigram_cross_entropy\": %.4f, \"unigram_entropy\": %.4f, \"train_tokens\": %d, "
            + "\"validation_tokens_scored\": %d, \"vocab_size\": %d}%n",
        crossEntropy / scored, entropy, total, scored, vocab);
  }

  private static ShuffledRows reader(ShardSet shards) {
    return new ShuffledRows(shards, 0, false, Long.MAX_VALUE, Integer.MAX_VALUE, shards.manifest().vocabSize(), false,
        DataPosition.START);
  }
}
