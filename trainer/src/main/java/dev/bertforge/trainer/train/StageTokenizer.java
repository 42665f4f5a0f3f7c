package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.export.Checkpoint;
import dev.bertforge.trainer.export.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenizer files a stage copies into its checkpoints, so that {@code export} can write a complete
 * Hugging Face directory: {@code data.tokenizer} if set (it must be the shards' tokenizer), else the first of
 * these whose sha256 is the one the shards' manifest names: the starting checkpoint's {@code tokenizer/}, the
 * starting Hugging Face directory, {@code tokenizer/} beside the shard folder ({@code prepare}'s layout) or
 * inside it.
 */
final class StageTokenizer {
  private static final Logger LOG = LoggerFactory.getLogger(StageTokenizer.class);

  private StageTokenizer() {}

  /** The tokenizer, or {@code null} (with a warning) when none is configured or found. */
  static TokenizerFiles find(StageConfig config, StageStart start, ShardSet train) throws IOException {
    String expected = train.manifest().tokenizerSha256();
    if (config.data().tokenizer() != null) {
      Path path = Path.of(config.data().tokenizer());
      Path dir = Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
      String actual = TokenizerCheck.sha256(dir.resolve(TokenizerFiles.TOKENIZER_JSON));
      if (actual != null && expected != null && !actual.equals(expected)) {
        throw new IOException("data.tokenizer " + dir + " is not the tokenizer the shards '" + train.glob()
            + "' were made with (sha256 " + actual + ", the manifest says " + expected + ")");
      }
      return TokenizerFiles.in(dir);
    }
    Set<Path> candidates = new LinkedHashSet<>();
    if (start.weights() != null) {
      candidates.add(start.weights().resolve(Checkpoint.TOKENIZER_DIR));
      candidates.add(start.weights());
    }
    for (ShardSet.Shard shard : train.shards()) {
      Path folder = shard.path().getParent();
      candidates.add(folder.resolveSibling("tokenizer"));
      candidates.add(folder.resolve("tokenizer"));
    }
    for (Path candidate : candidates) {
      String sha = TokenizerCheck.sha256(candidate.resolve(TokenizerFiles.TOKENIZER_JSON));
      if (sha != null && (expected == null || Objects.equals(sha, expected))) {
        LOG.info("tokenizer {} goes into the checkpoints", candidate);
        return TokenizerFiles.in(candidate);
      }
    }
    LOG.warn("no tokenizer.json with the shards' sha256 {} beside the shards or the starting weights: checkpoints "
        + "will hold no tokenizer and export will refuse them; set data.tokenizer", expected);
    return null;
  }
}
