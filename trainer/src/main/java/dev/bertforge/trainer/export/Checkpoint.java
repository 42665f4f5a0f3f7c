package dev.bertforge.trainer.export;

import ai.djl.ndarray.NDManager;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A training checkpoint folder. Its model part is nearly an HF export, so transformers can read the weights
 * directly:
 *
 * <pre>
 * config.json          HF ModernBERT config (4.x + 5.x keys) plus our training settings under "bertforge"
 * model.safetensors    fp32 weights, HF names, no decoder.weight
 * tokenizer/           the tokenizer the model was trained with (tokenizer.json, …)
 * …                    trainer state (optimizer, schedule, data position, RNG), written by the trainer
 * </pre>
 *
 * A checkpoint is written whole into a temporary sibling and renamed into place ({@link AtomicDirectory}); the
 * trainer adds its own files through {@link State}.
 */
public final class Checkpoint {

  public static final String TOKENIZER_DIR = "tokenizer";

  /** Writes extra files (trainer state) into the checkpoint folder being assembled. */
  @FunctionalInterface
  public interface State {
    State NONE = dir -> { };

    void writeInto(Path dir) throws IOException;
  }

  private final Path dir;

  private Checkpoint(Path dir) {
    this.dir = dir;
  }

  /** The checkpoint in {@code dir}; fails unless it has a config and weights. */
  public static Checkpoint at(Path dir) {
    if (!Files.isRegularFile(dir.resolve(HfModel.CONFIG)) || !Files.isRegularFile(dir.resolve(HfWeights.FILE))) {
      throw new IllegalArgumentException(dir + ": not a checkpoint (needs " + HfModel.CONFIG + " and "
          + HfWeights.FILE + ")");
    }
    return new Checkpoint(dir);
  }

  /**
   * Saves {@code model}, a copy of {@code tokenizer} (may be null) and the trainer's {@code state} as the folder
   * {@code dir}, replacing what was there in one rename.
   */
  public static Checkpoint save(Path dir, ModernBertForMaskedLM model, TokenizerFiles tokenizer, State state)
      throws IOException {
    if (tokenizer != null) {
      HfModel.checkTokenizerMatches(model.config(), tokenizer);
    }
    AtomicDirectory.write(dir, tmp -> {
      HfConfig.write(model.config(), true, tmp.resolve(HfModel.CONFIG));
      HfWeights.save(model, tmp.resolve(HfWeights.FILE));
      if (tokenizer != null) {
        tokenizer.copyTo(tmp.resolve(TOKENIZER_DIR), model.config().maxPositionEmbeddings());
      }
      state.writeInto(tmp);
    });
    return new Checkpoint(dir);
  }

  public Path dir() {
    return dir;
  }

  public ModernBertConfig config() throws IOException {
    return HfConfig.read(dir.resolve(HfModel.CONFIG));
  }

  public ModernBertForMaskedLM loadModel(NDManager manager) throws IOException {
    return HfModel.load(dir, manager);
  }

  /** The tokenizer saved with the checkpoint, if any. */
  public Optional<TokenizerFiles> tokenizer() throws IOException {
    Path tokenizerDir = dir.resolve(TOKENIZER_DIR);
    return Files.isRegularFile(tokenizerDir.resolve(TokenizerFiles.TOKENIZER_JSON))
        ? Optional.of(TokenizerFiles.in(tokenizerDir)) : Optional.empty();
  }

  /**
   * Exports this checkpoint to {@code output} as a Hugging Face directory (config without training settings,
   * weights, tokenizer files), written atomically. The model is loaded first, so keys and shapes are checked.
   */
  public void export(Path output, NDManager manager) throws IOException {
    TokenizerFiles tokenizer = tokenizer().orElseThrow(() -> new IllegalArgumentException(dir
        + ": has no " + TOKENIZER_DIR + "/" + TokenizerFiles.TOKENIZER_JSON + "; an export needs the tokenizer"));
    ModernBertForMaskedLM model = loadModel(manager);
    AtomicDirectory.write(output, tmp -> HfModel.write(model, tokenizer, tmp));
  }
}
