package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.data.SequencePacker;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.data.SequentialRows;
import dev.bertforge.trainer.data.TokenRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MLM loss and accuracy on held-out shards: the shards in file order, masked at the evaluation rate
 * (special tokens excluded) with a fixed seed, so every evaluation of a stage sees the same positions. The shards
 * are streamed a record at a time and reading stops at {@code maxTokens}: memory holds one micro-batch, whatever
 * the size of the validation set.
 */
public final class Evaluator {
  /** Seeds the evaluation masks apart from the training masks of the same seed. */
  private static final long EVAL_STREAM = 0xE7A1L;

  private final ShardSet shards;
  private final MlmMasking masking;
  private final int maxSeqLen;
  private final int batchSize;
  private final long maxTokens;
  private final long seed;

  /**
   * @param maxTokens stop after this many tokens (0: the whole set)
   */
  public Evaluator(ShardSet shards, double maskRate, int maxSeqLen, int batchSize, long maxTokens, long seed) {
    this.shards = shards;
    this.masking = new MlmMasking(maskRate, shards.manifest().specialTokenIds(), shards.manifest().vocabSize(),
        false);
    this.maxSeqLen = maxSeqLen;
    this.batchSize = batchSize;
    this.maxTokens = maxTokens;
    this.seed = seed;
  }

  public MlmModel.EvalCounts run(MlmModel model) throws IOException {
    MlmModel.EvalCounts total = MlmModel.EvalCounts.NONE;
    SequentialRows rows = new SequentialRows(shards, maxSeqLen, shards.manifest().vocabSize());
    try (SequencePacker sequences = new SequencePacker(rows, maxSeqLen, true)) {
      for (int batch = 0; maxTokens <= 0 || total.tokens() < maxTokens; batch++) {
        List<TokenRow> taken = new ArrayList<>(batchSize);
        while (taken.size() < batchSize) {
          TokenRow row = sequences.next();
          if (row == null) {
            break;
          }
          taken.add(row);
        }
        if (taken.isEmpty()) {
          break;
        }
        MicroBatch micro = MicroBatch.of(taken, masking, new SeededRandom(seed, EVAL_STREAM, batch));
        if (micro.labelCount() > 0) {
          total = total.plus(model.evaluate(micro));
        }
      }
    }
    if (total.labelled() == 0) {
      throw new IOException("the evaluation shards '" + shards.glob() + "' gave no maskable tokens");
    }
    return total;
  }

  /** Each named evaluator's counts, in the map's order. */
  public static Map<String, MlmModel.EvalCounts> runEach(Map<String, Evaluator> evaluators, MlmModel model)
      throws IOException {
    Map<String, MlmModel.EvalCounts> bySource = new LinkedHashMap<>();
    for (Map.Entry<String, Evaluator> e : evaluators.entrySet()) {
      bySource.put(e.getKey(), e.getValue().run(model));
    }
    return bySource;
  }

  /** "web loss 4.1234 accuracy 0.3456, docs loss ..." for a log line. */
  public static String describe(Map<String, MlmModel.EvalCounts> bySource) {
    StringBuilder line = new StringBuilder();
    bySource.forEach((name, c) -> line.append(line.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
        "%s loss %.4f accuracy %.4f", name, c.loss(), c.accuracy())));
    return line.toString();
  }
}
