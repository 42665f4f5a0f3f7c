package dev.bertforge.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.export.HfConfig;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.train.CheckpointFolders;
import dev.bertforge.trainer.train.Evaluator;
import dev.bertforge.trainer.train.MlmModel;
import dev.bertforge.trainer.train.Threads;
import dev.bertforge.trainer.train.TokenizerCheck;
import dev.bertforge.trainer.train.TrainingState;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./bertforge evaluate --checkpoint=DIR --data=GLOB}: MLM loss and accuracy of a model on token
 * shards, printed as JSON.
 */
public final class EvaluateCommand {
  static final String HELP = """
      Usage: ./bertforge evaluate --checkpoint=DIR --data=GLOB [options]

      Masked-language-model loss (mean cross-entropy in nats over masked tokens) and accuracy of a model on
      token shards, printed as one JSON line: {"loss": .., "accuracy": .., "tokens": .., "masked": ..}.
      Masking follows Hugging Face's DataCollatorForLanguageModeling: special tokens are never masked.

        --checkpoint=DIR    a checkpoint, a stage folder (its latest checkpoint) or a Hugging Face directory
        --data=GLOB         token shards: a glob, a folder or a comma-separated list (required)
        --mask-rate=R       share of tokens masked (default 0.15)
        --max-tokens=N      stop after N tokens (default 0: every shard)
        --max-seq-len=N     cut longer rows into pieces (default: the shards' max_seq_len)
        --batch-size=N      sequences per forward pass (default 8)
        --seed=N            seed of the masks (default 17)
        --threads=N         PyTorch intra-op threads (default: one per core)
      """;

  private EvaluateCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** The command's work, printing to {@code out}; returns the exit status. */
  static int run(String[] args, java.io.PrintStream out) {
    return CommandMain.run("evaluate", args, HELP, out, () -> {
      CommandLine line = new CommandLine(args,
          Set.of("checkpoint", "data", "mask-rate", "max-tokens", "max-seq-len", "batch-size", "seed", "threads"),
          Set.of(), null);
      Threads.use((int) line.number("threads", 0));
      Path given = Path.of(line.required("checkpoint"));
      Path dir = CheckpointFolders.resolve(given).orElse(given);
      ShardSet shards = ShardSet.open(line.required("data"));
      ModernBertConfig config = HfConfig.read(dir.resolve("config.json"));
      String trainedWith = TrainingState.isCheckpoint(dir) ? TrainingState.read(dir).tokenizerSha256()
          : TokenizerCheck.sha256(dir.resolve("tokenizer.json"));
      TokenizerCheck.check(shards.manifest(), shards.glob(), config, trainedWith, dir.toString());
      int maxSeqLen = (int) line.number("max-seq-len",
          shards.manifest().maxSeqLen() > 0 ? shards.manifest().maxSeqLen() : config.maxPositionEmbeddings());
      Evaluator evaluator = new Evaluator(shards, line.decimal("mask-rate", 0.15), maxSeqLen,
          (int) line.number("batch-size", 8), line.number("max-tokens", 0), line.number("seed", 17));
      try (MlmModel model = MlmModel.load(dir, config)) {
        MlmModel.EvalCounts counts = evaluator.run(model);
        ObjectNode json = new ObjectMapper().createObjectNode()
            .put("loss", counts.loss())
            .put("accuracy", counts.accuracy())
            .put("tokens", counts.tokens())
            .put("masked", counts.labelled())
            .put("checkpoint", dir.toString());
        out.println(json);
      }
      return 0;
    });
  }
}
