package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.ShardSet;
import java.io.IOException;

/**
 * Before the first step: shards pretokenized at a shorter length than the stage's {@code data.max_seq_len} hold no
 * document past that length (pack and split cut documents there, truncate drops the rest), so a context-extension
 * stage on them would never see a long position. Such shards stop the run unless {@code data.allow_shorter_rows}
 * says the user means it.
 */
final class RowLengthCheck {
  private RowLengthCheck() {}

  static void check(ShardSet shards, String role, StageConfig config) throws IOException {
    int stageLength = config.data().maxSeqLen();
    int shardLength = shards.manifest().maxSeqLen();
    if (shardLength >= stageLength || config.data().allowShorterRows()) {
      return;
    }
    throw new IOException("the " + role + " shards '" + shards.glob() + "' were pretokenized at max_seq_len "
        + shardLength + " (mode " + shards.manifest().mode() + "), shorter than this stage's data.max_seq_len "
        + stageLength + ": no row holds a token past position " + shardLength + ". Pretokenize at the stage's "
        + "length (./bertforge pretokenize ... --maxSeqLen=" + stageLength + "), or set data.allow_shorter_rows: "
        + "true to train on them as they are");
  }
}
