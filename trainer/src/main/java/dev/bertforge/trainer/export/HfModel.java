package dev.bertforge.trainer.export;

import ai.djl.ndarray.NDManager;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face ModernBERT directory ({@code config.json}, {@code model.safetensors}, tokenizer files), as
 * {@code transformers}' {@code save_pretrained} writes it and {@code from_pretrained} reads it.
 *
 * <p>{@link #load} imports any such directory, for example a copy of {@code answerdotai/ModernBERT-base}, to
 * continue pretraining ({@code init_from}) or to predict; {@link #write} exports ours.
 */
public final class HfModel {

  public static final String CONFIG = "config.json";

  private HfModel() {}

  /** The model in {@code dir}, weights on {@code manager}; clear errors for missing files, keys or shapes. */
  public static ModernBertForMaskedLM load(Path dir, NDManager manager) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": no such model directory");
    }
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new IllegalArgumentException(dir + ": no " + CONFIG + " (not a Hugging Face model directory)");
    }
    ModernBertConfig config = HfConfig.read(configFile);
    ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
    HfWeights.load(model, dir, manager);
    return model;
  }

  /**
   * Writes {@code model} into the empty directory {@code dir} as transformers expects it: config.json (4.x and
   * 5.x keys, no training extras), model.safetensors (fp32, no {@code decoder.weight}) and the tokenizer files.
   * The tokenizer's special tokens must be the config's.
   */
  public static void write(ModernBertForMaskedLM model, TokenizerFiles tokenizer, Path dir) throws IOException {
    ModernBertConfig config = model.config();
    checkTokenizerMatches(config, tokenizer);
    HfConfig.write(config, false, dir.resolve(CONFIG));
    HfWeights.save(model, dir.resolve(HfWeights.FILE));
    tokenizer.copyTo(dir, config.maxPositionEmbeddings());
  }

  /** The pad, cls and sep ids of the config must be the tokenizer's, and every token id must have an embedding. */
  static void checkTokenizerMatches(ModernBertConfig config, TokenizerFiles tokenizer) throws IOException {
    if (tokenizer.vocabularySize() > config.vocabSize()) {
      throw new IllegalArgumentException(tokenizer.tokenizerJson() + ": ids go up to " + (tokenizer.vocabularySize()
          - 1) + " but the model has only " + config.vocabSize() + " embeddings");
    }
    check(tokenizer, "pad_token", config.padTokenId());
    check(tokenizer, "cls_token", config.clsTokenId());
    check(tokenizer, "sep_token", config.sepTokenId());
  }

  private static void check(TokenizerFiles tokenizer, String role, int configId) throws IOException {
    int id = tokenizer.requireId(role);
    if (id != configId) {
      throw new IllegalArgumentException(tokenizer.tokenizerJson() + ": " + tokenizer.token(role) + " is id " + id
          + " but the model config says " + role + "_id " + configId);
    }
  }
}
