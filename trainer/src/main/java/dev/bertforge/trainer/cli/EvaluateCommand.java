package dev.bertforge.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.data.DataSource;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
      Several named sources (--data="web=out/web/shards;docs=out/docs/shards", as a mixture's data.validation
      lists them) are evaluated one by one: the line adds "sources": {"web": {"loss": .., ..}, ..} and the
      top-level figures are over all of them.

        --checkpoint=DIR    a checkpoint, a stage folder (its latest checkpoint) or a Hugging Face directory
        --data=GLOB         token shards: a glob, a folder or a comma-separated list, or named sources
                            NAME=GLOB separated by ';' (required)
        --mask-rate=R       share of tokens masked (default 0.15)
        --max-tokens=N      stop after N tokens (default 0: every shard)
        --max-seq-len=N     cut longer rows into pieces (default: the shards' max_seq_len)
        --batch-size=N      sequences per forward pass (default 8)
        --seed=N            seed of the masks (default 17)
        --threads=N         PyTorch intra-op threads (default: one per core)""";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAMED = Pattern.compile("(" + DataSource.NAME + ")=(.+)");
  private static final String UNNAMED = "data";

  private EvaluateCommand() {}

  public static void main(String[] args) {
    CliArgs.run(args, HELP, () -> System.out.println(evaluate(args)));
  }

  static ObjectNode evaluate(String[] args) throws IOException {
    CliArgs options = CliArgs.parse(args,
        List.of("checkpoint", "data", "mask-rate", "max-tokens", "max-seq-len", "batch-size", "seed", "threads"));
    Path given = options.requiredPath("checkpoint");
    Map<String, ShardSet> sources = sources(options.required("data"));
    Threads.use(options.integer("threads", 0));
    Path dir = CheckpointFolders.resolve(given).orElse(given);
    ModernBertConfig config = HfConfig.read(dir.resolve("config.json"));
    for (ShardSet shards : sources.values()) {
      TokenizerCheck.check(shards.manifest(), shards.glob(), config, TokenizerCheck.trainedWith(dir), dir.toString());
    }
    ShardSet first = sources.values().iterator().next();
    int maxSeqLen = options.integer("max-seq-len",
        first.manifest().maxSeqLen() > 0 ? first.manifest().maxSeqLen() : config.maxPositionEmbeddings());
    Map<String, Evaluator> evaluators = new LinkedHashMap<>();
    sources.forEach((name, shards) -> evaluators.put(name, new Evaluator(shards, options.number("mask-rate", 0.15),
        maxSeqLen, options.integer("batch-size", 8), (long) options.number("max-tokens", 0),
        options.integer("seed", 17))));
    try (MlmModel model = MlmModel.load(dir, config)) {
      Map<String, MlmModel.EvalCounts> bySource = Evaluator.runEach(evaluators, model);
      ObjectNode result = put(JSON.createObjectNode(), MlmModel.EvalCounts.sum(bySource.values()));
      if (sources.size() > 1 || !sources.containsKey(UNNAMED)) {
        ObjectNode named = result.putObject("sources");
        bySource.forEach((name, counts) -> put(named.putObject(name), counts));
      }
      return result.put("checkpoint", dir.toString());
    }
  }

  private static ObjectNode put(ObjectNode node, MlmModel.EvalCounts counts) {
    return node.put("loss", counts.loss()).put("accuracy", counts.accuracy()).put("tokens", counts.tokens())
        .put("masked", counts.labelled());
  }

  /** {@code GLOB}, or {@code NAME=GLOB;NAME=GLOB...}: the shard sets by name, in the given order. */
  static Map<String, ShardSet> sources(String data) throws IOException {
    Map<String, ShardSet> sources = new LinkedHashMap<>();
    for (String entry : data.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      Matcher named = NAMED.matcher(entry.trim());
      String name = named.matches() ? named.group(1) : UNNAMED;
      if (sources.containsKey(name)) {
        throw new IllegalArgumentException("--data names the source '" + name + "' twice"
            + (name.equals(UNNAMED) ? " (give each of several sources a NAME=GLOB)" : ""));
      }
      String glob = named.matches() ? named.group(2) : entry.trim();
      try {
        sources.put(name, ShardSet.open(glob));
      } catch (IOException e) {
        throw new IOException("--data source '" + name + "': " + e.getMessage(), e);
      }
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("--data lists no shards");
    }
    return sources;
  }
}
