package dev.bertforge.trainer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The Hugging Face tokenizer files of a model: {@code tokenizer.json} (required), {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}. Reads the special-token ids and writes the two small files when a tokenizer
 * came without them, so that {@code AutoTokenizer} knows which token is {@code [MASK]}.
 */
public final class TokenizerFiles {

  public static final String TOKENIZER_JSON = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  /** Files copied with a tokenizer when present (vocab/merges too, for tools that want them). */
  public static final List<String> FILES =
      List.of(TOKENIZER_JSON, TOKENIZER_CONFIG, SPECIAL_TOKENS_MAP, "vocab.json", "merges.txt");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<String, String> ROLES = Map.of(
      "unk_token", "[UNK]", "cls_token", "[CLS]", "sep_token", "[SEP]", "pad_token", "[PAD]", "mask_token", "[MASK]");

  private final Path dir;
  private final Map<String, Integer> vocabulary;

  private TokenizerFiles(Path dir, Map<String, Integer> vocabulary) {
    this.dir = dir;
    this.vocabulary = vocabulary;
  }

  /** The tokenizer of a model: an export's ({@code DIR/tokenizer.json}) or a checkpoint's ({@code DIR/tokenizer/}). */
  public static TokenizerFiles ofModel(Path modelDir) throws IOException {
    if (!Files.isDirectory(modelDir)) {
      throw new IllegalArgumentException(modelDir + ": no such model directory");
    }
    for (Path dir : List.of(modelDir, modelDir.resolve(Checkpoint.TOKENIZER_DIR))) {
      if (Files.isRegularFile(dir.resolve(TOKENIZER_JSON))) {
        return in(dir);
      }
    }
    throw new IllegalArgumentException(modelDir + ": no tokenizer.json (an export) nor tokenizer/tokenizer.json"
        + " (a checkpoint)");
  }

  /** The tokenizer in {@code dir}; fails with the path when {@code tokenizer.json} is missing or unreadable. */
  public static TokenizerFiles in(Path dir) throws IOException {
    Path file = dir.resolve(TOKENIZER_JSON);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(dir + ": no " + TOKENIZER_JSON);
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    Map<String, Integer> vocabulary = new TreeMap<>();
    root.path("model").path("vocab").fields().forEachRemaining(e -> vocabulary.put(e.getKey(), e.getValue().asInt()));
    for (JsonNode added : root.path("added_tokens")) {
      vocabulary.put(added.path("content").asText(), added.path("id").asInt());
    }
    if (vocabulary.isEmpty()) {
      throw new IllegalArgumentException(file + ": has no vocabulary (model.vocab / added_tokens)");
    }
    return new TokenizerFiles(dir, vocabulary);
  }

  public Path dir() {
    return dir;
  }

  public Path tokenizerJson() {
    return dir.resolve(TOKENIZER_JSON);
  }

  /** One more than the largest token id. */
  public int vocabularySize() {
    return vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
  }

  public OptionalInt id(String token) {
    Integer id = vocabulary.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The token with a role ({@code mask_token}, …) per tokenizer_config.json, else the BERT-style default. */
  public String token(String role) throws IOException {
    Path config = dir.resolve(TOKENIZER_CONFIG);
    if (Files.isRegularFile(config)) {
      JsonNode value = JSON.readTree(config.toFile()).get(role);
      if (value != null && value.isTextual()) {
        return value.asText();
      }
      if (value != null && value.has("content")) {
        return value.get("content").asText();
      }
    }
    return ROLES.getOrDefault(role, role);
  }

  /** The id of the token with {@code role}, or an error naming the tokenizer. */
  public int requireId(String role) throws IOException {
    String token = token(role);
    return id(token).orElseThrow(() ->
        new IllegalArgumentException(tokenizerJson() + ": has no " + token + " token (" + role + ")"));
  }

  /**
   * Copies the tokenizer into {@code target}, adding {@code tokenizer_config.json} and
   * {@code special_tokens_map.json} when the source has none.
   */
  public void copyTo(Path target, int modelMaxLength) throws IOException {
    Files.createDirectories(target);
    for (String name : FILES) {
      Path source = dir.resolve(name);
      if (Files.isRegularFile(source)) {
        Files.copy(source, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!Files.isRegularFile(dir.resolve(TOKENIZER_CONFIG))) {
      ObjectNode config = JSON.createObjectNode();
      config.put("tokenizer_class", "PreTrainedTokenizerFast");
      for (Map.Entry<String, String> role : new TreeMap<>(ROLES).entrySet()) {
        if (id(role.getValue()).isPresent()) {
          config.put(role.getKey(), role.getValue());
        }
      }
      config.put("model_max_length", modelMaxLength);
      config.putArray("model_input_names").add("input_ids").add("attention_mask");
      config.put("clean_up_tokenization_spaces", false);
      Files.write(target.resolve(TOKENIZER_CONFIG), JSON.writeValueAsBytes(config));
    }
    if (!Files.isRegularFile(dir.resolve(SPECIAL_TOKENS_MAP))) {
      ObjectNode map = JSON.createObjectNode();
      for (Map.Entry<String, String> role : new TreeMap<>(ROLES).entrySet()) {
        String token = token(role.getKey());
        if (id(token).isPresent()) {
          map.put(role.getKey(), token);
        }
      }
      Files.write(target.resolve(SPECIAL_TOKENS_MAP), JSON.writeValueAsBytes(map));
    }
  }
}
