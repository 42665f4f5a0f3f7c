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
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./bertforge evaluate --checkpoint=DIR --data=GLOB}: MLM loss and accuracy of a model on token shards,
 * printed as one JSON line.
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
        --threads=N         PyTorch intra-op threads (default: one per core)""";

  private EvaluateCommand() {}

  public static void main(String[] args) {
    CliArgs.run(args, HELP, () -> System.out.println(evaluate(args)));
  }

  static ObjectNode evaluate(String[] args) throws IOException {
    CliArgs options = CliArgs.parse(args,
        List.of("checkpoint", "data", "mask-rate", "max-tokens", "max-seq-len", "batch-size", "seed", "threads"));
    Path given = options.requiredPath("checkpoint");
    ShardSet shards = ShardSet.open(options.required("data"));
    Threads.use(options.integer("threads", 0));
    Path dir = CheckpointFolders.resolve(given).orElse(given);
    ModernBertConfig config = HfConfig.read(dir.resolve("config.json"));
    TokenizerCheck.check(shards.manifest(), shards.glob(), config, TokenizerCheck.trainedWith(dir), dir.toString());
    int maxSeqLen = options.integer("max-seq-len",
        shards.manifest().maxSeqLen() > 0 ? shards.manifest().maxSeqLen() : config.maxPositionEmbeddings());
    Evaluator evaluator = new Evaluator(shards, options.number("mask-rate", 0.15), maxSeqLen,
        options.integer("batch-size", 8), (long) options.number("max-tokens", 0), options.integer("seed", 17));
    try (MlmModel model = MlmModel.load(dir, config)) {
      MlmModel.EvalCounts counts = evaluator.run(model);
      return new ObjectMapper().createObjectNode()
          .put("loss", counts.loss())
          .put("accuracy", counts.accuracy())
          .put("tokens", counts.tokens())
          .put("masked", counts.labelled())
          .put("checkpoint", dir.toString());
    }
  }
}
