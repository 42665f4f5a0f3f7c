package dev.bertforge.trainer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.model.ClassifierConfig;
import dev.bertforge.trainer.model.ModernBertConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code config.json} of a Hugging Face ModernBERT ({@code ModernBertForMaskedLM}, or
 * {@code ModernBertForSequenceClassification} with its {@link ClassifierConfig}) ↔ {@link ModernBertConfig}.
 *
 * <p>Written with both key sets: transformers 4.48-4.57 read {@code global_rope_theta}, {@code local_rope_theta},
 * {@code global_attn_every_n_layers}; 5.x prefers {@code rope_parameters} and {@code layer_types}. Read from
 * either (the 5.x keys win, as in 5.x). A checkpoint's config also carries our training-only settings under
 * {@code "bertforge"}; an export leaves them out. Architecture variants this model does not implement (biases,
 * other activations or RoPE types, untied decoder, extra dropouts) are refused with the key that says so.
 */
public final class HfConfig {

  /** Key of our own settings inside a checkpoint's config.json. */
  public static final String EXTRAS = "bertforge";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String FULL = "full_attention";
  private static final String SLIDING = "sliding_attention";

  private HfConfig() {}

  public static ModernBertConfig read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    try {
      return fromJson(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public static ModernBertConfig fromJson(JsonNode root) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("config is not a JSON object");
    }
    String type = text(root, "model_type", "modernbert");
    if (!type.equals("modernbert")) {
      throw new IllegalArgumentException("model_type is '" + type + "', expected 'modernbert'");
    }
    requireValue(root, "hidden_activation", "gelu");
    requireValue(root, "classifier_activation", "gelu");
    requireFlag(root, "norm_bias", false);
    requireFlag(root, "attention_bias", false);
    requireFlag(root, "mlp_bias", false);
    requireFlag(root, "decoder_bias", true);
    requireFlag(root, "tie_word_embeddings", true);
    requireZero(root, "embedding_dropout");
    requireZero(root, "mlp_dropout");

    ModernBertConfig.Builder b = ModernBertConfig.builder()
        .vocabSize(integer(root, "vocab_size", 50368))
        .hiddenSize(integer(root, "hidden_size", 768))
        .intermediateSize(integer(root, "intermediate_size", 1152))
        .numHiddenLayers(integer(root, "num_hidden_layers", 22))
        .numAttentionHeads(integer(root, "num_attention_heads", 12))
        .localAttention(integer(root, "local_attention", 128))
        .normEps(number(root, "norm_eps", 1e-5))
        .maxPositionEmbeddings(integer(root, "max_position_embeddings", 8192))
        .initializerRange(number(root, "initializer_range", 0.02))
        .initializerCutoffFactor(number(root, "initializer_cutoff_factor", 2.0))
        .padTokenId(integer(root, "pad_token_id", 50283))
        .bosTokenId(integer(root, "bos_token_id", 50281))
        .eosTokenId(integer(root, "eos_token_id", 50282))
        .clsTokenId(integer(root, "cls_token_id", 50281))
        .sepTokenId(integer(root, "sep_token_id", 50282));
    float attentionDropout = (float) number(root, "attention_dropout", 0.0);
    b.attentionDropout(attentionDropout);
    JsonNode extras = root.path(EXTRAS);
    // HF applies attention_dropout after Wo too; our own key separates the two (the recipe: 0 and 0.1)
    b.attentionOutputDropout((float) number(extras, "attention_output_dropout", attentionDropout));

    int layers = integer(root, "num_hidden_layers", 22);
    b.globalAttnEveryNLayers(globalEvery(root, layers));
    double globalTheta = number(root, "global_rope_theta", 160000.0);
    double localTheta = number(root, "local_rope_theta", 10000.0);
    JsonNode rope = root.get("rope_parameters");
    if (rope != null && !rope.isNull()) {
      globalTheta = theta(rope, FULL, globalTheta);
      localTheta = theta(rope, SLIDING, localTheta);
    }
    if (root.has("head_dim") && !root.get("head_dim").isNull()) {
      int headDim = root.get("head_dim").asInt();
      int expected = integer(root, "hidden_size", 768) / integer(root, "num_attention_heads", 12);
      if (headDim != expected) {
        throw new IllegalArgumentException("head_dim " + headDim + " is not hidden_size / num_attention_heads = "
            + expected + " (not supported)");
      }
    }
    return b.globalRopeTheta(globalTheta).localRopeTheta(localTheta).build();
  }

  /** The n of "every n-th layer is global", from layer_types when present (5.x), else global_attn_every_n_layers. */
  private static int globalEvery(JsonNode root, int layers) {
    JsonNode types = root.get("layer_types");
    if (types == null || types.isNull()) {
      return integer(root, "global_attn_every_n_layers", 3);
    }
    if (types.size() != layers) {
      throw new IllegalArgumentException("layer_types has " + types.size() + " entries for " + layers + " layers");
    }
    // the 4.x key, when it describes the same layers (with few layers several n do), else the first global layer
    int every = integer(root, "global_attn_every_n_layers", 3);
    if (!matches(types, every)) {
      every = layers;
      for (int i = 1; i < layers; i++) {
        if (types.get(i).asText().equals(FULL)) {
          every = i;
          break;
        }
      }
    }
    if (every <= 0 || !matches(types, every)) {
      throw new IllegalArgumentException("layer_types " + types + " is not 'full_attention every n-th layer from"
          + " layer 0' (not supported)");
    }
    return every;
  }

  private static boolean matches(JsonNode types, int every) {
    if (every <= 0) {
      return false;
    }
    for (int i = 0; i < types.size(); i++) {
      if (!types.get(i).asText().equals(i % every == 0 ? FULL : SLIDING)) {
        return false;
      }
    }
    return true;
  }

  private static double theta(JsonNode rope, String layerType, double fallback) {
    JsonNode params = rope.get(layerType);
    if (params == null || params.isNull()) {
      return fallback;
    }
    String ropeType = text(params, "rope_type", "default");
    if (!ropeType.equals("default")) {
      throw new IllegalArgumentException("rope_parameters." + layerType + ".rope_type is '" + ropeType
          + "'; only 'default' RoPE is supported");
    }
    return number(params, "rope_theta", fallback);
  }

  /** The config as transformers writes it, with both key sets; {@code withExtras} adds our training settings. */
  public static ObjectNode toJson(ModernBertConfig c, boolean withExtras) {
    return toJson(c, null, withExtras);
  }

  /**
   * As {@link #toJson(ModernBertConfig, boolean)}; with a {@code classifier}, the config of a
   * {@code ModernBertForSequenceClassification}: its labels ({@code id2label}, {@code label2id}, which give
   * transformers its {@code num_labels}), {@code problem_type}, pooling and dropout.
   */
  public static ObjectNode toJson(ModernBertConfig c, ClassifierConfig classifier, boolean withExtras) {
    ObjectNode o = JSON.createObjectNode();
    o.putArray("architectures").add(classifier == null ? "ModernBertForMaskedLM"
        : "ModernBertForSequenceClassification");
    o.put("model_type", "modernbert");
    o.put("vocab_size", c.vocabSize());
    o.put("hidden_size", c.hiddenSize());
    o.put("intermediate_size", c.intermediateSize());
    o.put("num_hidden_layers", c.numHiddenLayers());
    o.put("num_attention_heads", c.numAttentionHeads());
    o.put("hidden_activation", "gelu");
    o.put("max_position_embeddings", c.maxPositionEmbeddings());
    o.put("initializer_range", c.initializerRange());
    o.put("initializer_cutoff_factor", c.initializerCutoffFactor());
    o.put("norm_eps", c.normEps());
    o.put("norm_bias", false);
    o.put("pad_token_id", c.padTokenId());
    o.put("bos_token_id", c.bosTokenId());
    o.put("eos_token_id", c.eosTokenId());
    o.put("cls_token_id", c.clsTokenId());
    o.put("sep_token_id", c.sepTokenId());
    o.put("attention_bias", false);
    o.put("attention_dropout", c.attentionDropout());
    // transformers 4.x keys
    o.put("global_rope_theta", c.globalRopeTheta());
    o.put("local_rope_theta", c.localRopeTheta());
    o.put("global_attn_every_n_layers", c.globalAttnEveryNLayers());
    // transformers 5.x keys, consistent with the above
    ArrayNode types = o.putArray("layer_types");
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      types.add(c.isGlobalLayer(i) ? FULL : SLIDING);
    }
    ObjectNode rope = o.putObject("rope_parameters");
    rope.putObject(FULL).put("rope_type", "default").put("rope_theta", c.globalRopeTheta());
    rope.putObject(SLIDING).put("rope_type", "default").put("rope_theta", c.localRopeTheta());
    o.put("local_attention", c.localAttention());
    o.put("embedding_dropout", 0.0);
    o.put("mlp_bias", false);
    o.put("mlp_dropout", 0.0);
    o.put("decoder_bias", true);
    o.put("classifier_pooling", classifier == null ? "mean" : classifier.pooling().hfName());
    o.put("classifier_dropout", classifier == null ? 0.0 : classifier.dropout());
    if (classifier != null) {
      ObjectNode id2label = o.putObject("id2label");
      ObjectNode label2id = o.putObject("label2id");
      for (int i = 0; i < classifier.numLabels(); i++) {
        id2label.put(Integer.toString(i), classifier.labels().get(i));
        label2id.put(classifier.labels().get(i), i);
      }
      o.put("problem_type", classifier.task().hfName);
    }
    o.put("classifier_bias", false);
    o.put("classifier_activation", "gelu");
    o.put("deterministic_flash_attn", false);
    o.put("sparse_prediction", false);
    o.put("sparse_pred_ignore_index", -100);
    o.put("repad_logits_with_grad", false);
    o.put("tie_word_embeddings", true);
    o.put("torch_dtype", "float32");
    o.put("dtype", "float32");
    if (withExtras) {
      o.putObject(EXTRAS).put("attention_output_dropout", c.attentionOutputDropout());
    }
    return o;
  }

  public static void write(ModernBertConfig config, boolean withExtras, Path file) throws IOException {
    write(config, null, withExtras, file);
  }

  public static void write(ModernBertConfig config, ClassifierConfig classifier, boolean withExtras, Path file)
      throws IOException {
    Files.write(file, JSON.writeValueAsBytes(toJson(config, classifier, withExtras)));
  }

  /**
   * The classifier a config describes ({@code id2label} in id order, {@code problem_type}, pooling, dropout), or
   * {@code null} when its {@code architectures} is not {@code ModernBertForSequenceClassification} (a masked-LM
   * config, whose default {@code id2label} means nothing). Without {@code problem_type}, one label means a
   * regression, as in transformers.
   */
  public static ClassifierConfig readClassifier(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    boolean classifier = false;
    for (JsonNode architecture : root.path("architectures")) {
      classifier |= architecture.asText().equals("ModernBertForSequenceClassification");
    }
    if (!classifier) {
      return null;
    }
    JsonNode id2label = root.path("id2label");
    try {
      if (!id2label.isObject() || id2label.size() == 0) {
        throw new IllegalArgumentException("a ModernBertForSequenceClassification config needs id2label");
      }
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < id2label.size(); i++) {
        JsonNode label = id2label.get(Integer.toString(i));
        if (label == null) {
          throw new IllegalArgumentException("id2label has no id " + i + " (ids must be 0.." + (id2label.size() - 1)
              + ")");
        }
        labels.add(label.asText());
      }
      String problem = text(root, "problem_type", labels.size() == 1 ? "regression" : "single_label_classification");
      return new ClassifierConfig(ClassifierConfig.Task.ofHfName(problem), labels,
          ClassifierConfig.Pooling.named(text(root, "classifier_pooling", "cls")),
          (float) number(root, "classifier_dropout", 0.0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static int integer(JsonNode node, String key, int fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToInt()) {
      throw new IllegalArgumentException(key + " must be an integer, got " + v);
    }
    return v.asInt();
  }

  private static double number(JsonNode node, String key, double fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(key + " must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static String text(JsonNode node, String key, String fallback) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  private static void requireValue(JsonNode root, String key, String expected) {
    String value = text(root, key, expected);
    if (!value.equals(expected)) {
      throw new IllegalArgumentException(key + " is '" + value + "'; only '" + expected + "' is supported");
    }
  }

  private static void requireFlag(JsonNode root, String key, boolean expected) {
    JsonNode v = root.get(key);
    if (v != null && !v.isNull() && v.asBoolean() != expected) {
      throw new IllegalArgumentException(key + " is " + v + "; only " + expected + " is supported");
    }
  }

  private static void requireZero(JsonNode root, String key) {
    if (number(root, key, 0.0) != 0.0) {
      throw new IllegalArgumentException(key + " is " + root.get(key) + "; only 0.0 is supported");
    }
  }
}
