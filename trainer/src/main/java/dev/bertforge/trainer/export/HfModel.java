package dev.bertforge.trainer.export;

import ai.djl.ndarray.NDManager;
import dev.bertforge.trainer.model.ClassifierConfig;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import dev.bertforge.trainer.model.ModernBertForSequenceClassification;
import dev.bertforge.trainer.model.PretrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

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
    ModernBertConfig config = HfConfig.read(configOf(dir));
    ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
    HfWeights.load(model, dir, manager);
    return model;
  }

  /** The sequence classifier in {@code dir}, a directory {@link #write} (or transformers) wrote for one. */
  public static ModernBertForSequenceClassification loadClassifier(Path dir, NDManager manager) throws IOException {
    Path configFile = configOf(dir);
    ClassifierConfig classifier = HfConfig.readClassifier(configFile);
    if (classifier == null) {
      throw new IllegalArgumentException(dir + ": not a sequence classifier (config.json's architectures is not "
          + "ModernBertForSequenceClassification)");
    }
    ModernBertForSequenceClassification model =
        new ModernBertForSequenceClassification(HfConfig.read(configFile), classifier);
    HfWeights.load(model, dir, manager);
    return model;
  }

  /**
   * A new classifier started from the ModernBERT in {@code dir} (a masked-LM export or any directory
   * {@code AutoModelForMaskedLM} loads) as transformers' {@code from_pretrained} starts one: the encoder and
   * {@code head} carry over, {@code classifier} is initialised (seeded; σ = hidden_size^-0.5, bias 0).
   * {@code config} replaces the directory's model config (it must have the same shapes; the caller chooses
   * dropouts and attention).
   */
  public static ModernBertForSequenceClassification startClassifier(Path dir, ModernBertConfig config,
      ClassifierConfig classifier, NDManager manager, long seed) throws IOException {
    ModernBertForSequenceClassification model = new ModernBertForSequenceClassification(config, classifier);
    Set<String> left = HfWeights.loadShared(model, dir, manager);
    left.removeAll(Set.of("classifier.weight", "classifier.bias"));
    if (!left.isEmpty()) {
      throw new IllegalArgumentException(dir + ": not a ModernBERT encoder with its head: " + left.size()
          + " weights are missing, e.g. " + left.iterator().next());
    }
    model.initialize(manager, seed);
    return model;
  }

  private static Path configOf(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": no such model directory");
    }
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new IllegalArgumentException(dir + ": no " + CONFIG + " (not a Hugging Face model directory)");
    }
    return configFile;
  }

  /**
   * Writes {@code model} into the empty directory {@code dir} as transformers expects it: config.json (4.x and
   * 5.x keys, no training extras; a classifier's labels), model.safetensors (fp32, no {@code decoder.weight}) and
   * the tokenizer files. The tokenizer's special tokens must be the config's.
   */
  public static void write(PretrainedModel model, TokenizerFiles tokenizer, Path dir) throws IOException {
    ModernBertConfig config = model.config();
    checkTokenizerMatches(config, tokenizer);
    ClassifierConfig classifier = model instanceof ModernBertForSequenceClassification c ? c.classifier() : null;
    HfConfig.write(config, classifier, false, dir.resolve(CONFIG));
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
