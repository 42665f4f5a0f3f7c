package dev.bertforge.transforms.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.TrainTokenizerOptions.SpecialTokenPosition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Hugging Face's {@code tokenizer.json} for a BERT-style byte-level BPE (schema: {@code shared/reference/
 * bpe-tokenizer.md} §3): NFC normalizer, {@code ByteLevel(add_prefix_space=false)} pre-tokenizer and decoder, the BPE
 * model, the {@code [CLS] $A [SEP]} / {@code [CLS] $A [SEP] $B [SEP]} template and a padding block with the real
 * {@code [PAD]} id (DJL pads with id 0 without one). It loads in HF tokenizers, {@code transformers} and DJL.
 */
public final class TokenizerJson {
  public static final String UNK = "[UNK]";
  public static final String CLS = "[CLS]";
  public static final String SEP = "[SEP]";
  public static final String PAD = "[PAD]";
  public static final String MASK = "[MASK]";
  /** The BERT special tokens, in the order they take ids. */
  public static final List<String> SPECIAL_TOKENS = List.of(UNK, CLS, SEP, PAD, MASK);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerJson() {}

  /**
   * The tokenizer.json of a trained model; the special tokens take ids 0–4 ({@code FIRST}, BERT's and HF's trainer's
   * layout) or the last five ids ({@code LAST}, ModernBERT's).
   */
  public static ObjectNode of(BpeModel model, SpecialTokenPosition position) {
    List<String> vocab = new ArrayList<>();
    if (position == SpecialTokenPosition.FIRST) {
      vocab.addAll(SPECIAL_TOKENS);
    }
    vocab.addAll(model.tokens());
    if (position == SpecialTokenPosition.LAST) {
      vocab.addAll(SPECIAL_TOKENS);
    }
    ObjectNode vocabNode = NODES.objectNode();
    for (int id = 0; id < vocab.size(); id++) {
      vocabNode.put(vocab.get(id), id);
    }
    ArrayNode merges = NODES.arrayNode();
    model.mergeStrings().forEach(merges::add);

    ObjectNode bpe = NODES.objectNode();
    bpe.put("type", "BPE");
    bpe.putNull("dropout");
    bpe.putNull("unk_token");
    bpe.putNull("continuing_subword_prefix");
    bpe.putNull("end_of_word_suffix");
    bpe.put("fuse_unk", false);
    bpe.put("byte_fallback", false);
    bpe.put("ignore_merges", false);
    bpe.set("vocab", vocabNode);
    bpe.set("merges", merges);

    ObjectNode tokenizer = NODES.objectNode();
    tokenizer.put("version", "1.0");
    tokenizer.putNull("truncation");
    tokenizer.putNull("padding");
    tokenizer.set("added_tokens", NODES.arrayNode());
    tokenizer.set("normalizer", NODES.objectNode().put("type", "NFC"));
    tokenizer.set("pre_tokenizer", byteLevel());
    tokenizer.putNull("post_processor");
    tokenizer.set("decoder", byteLevel());
    tokenizer.set("model", bpe);
    addBertSpecials(tokenizer);
    return tokenizer;
  }

  /**
   * Makes an existing tokenizer.json usable for BERT-style training: adds whichever of the five special tokens are
   * missing (after the highest id), marks them special, sets the {@code [CLS] $A [SEP]} template (inside a
   * {@code Sequence} post-processor if there is one) and the padding block; truncation is switched off. Returns what
   * it changed, one line each.
   */
  public static List<String> adopt(ObjectNode tokenizer) {
    if (!tokenizer.path("model").isObject()) {
      throw new IllegalArgumentException("not a tokenizer.json: it has no \"model\"");
    }
    return addBertSpecials(tokenizer);
  }

  private static List<String> addBertSpecials(ObjectNode tokenizer) {
    List<String> changes = new ArrayList<>();
    ArrayNode added = tokenizer.has("added_tokens") && tokenizer.get("added_tokens").isArray()
        ? (ArrayNode) tokenizer.get("added_tokens")
        : tokenizer.putArray("added_tokens");
    JsonNode vocab = tokenizer.path("model").path("vocab");
    for (String special : SPECIAL_TOKENS) {
      ObjectNode existing = findAdded(added, special);
      if (existing != null) {
        if (!existing.path("special").asBoolean()) {
          existing.put("special", true);
          changes.add(special + " marked special");
        }
        continue;
      }
      boolean inVocab = vocab.isObject() && vocab.has(special);
      int id = inVocab ? vocab.get(special).asInt() : nextId(tokenizer);
      added.add(addedToken(id, special));
      changes.add(special + (inVocab ? " (already in the vocabulary)" : "") + " added as special token " + id);
    }
    sortById(added);

    ObjectNode template = template(idOf(tokenizer, CLS), idOf(tokenizer, SEP));
    JsonNode post = tokenizer.path("post_processor");
    JsonNode before = post.deepCopy();
    if (post.path("type").asText().equals("Sequence") && post.path("processors").isArray()) {
      ArrayNode processors = (ArrayNode) post.get("processors");
      for (Iterator<JsonNode> it = processors.elements(); it.hasNext(); ) {
        if (it.next().path("type").asText().equals("TemplateProcessing")) {
          it.remove();
        }
      }
      processors.add(template);
    } else {
      tokenizer.set("post_processor", template);
    }
    if (!before.equals(tokenizer.get("post_processor"))) {
      changes.add("post-processor template set to [CLS] $A [SEP] / [CLS] $A [SEP] $B [SEP]");
    }
    tokenizer.set("padding", padding(idOf(tokenizer, PAD)));
    tokenizer.putNull("truncation");
    return changes;
  }

  /** tokenizer_config.json as transformers' {@code AutoTokenizer} reads it. */
  public static ObjectNode tokenizerConfig(JsonNode tokenizer) {
    ObjectNode decoder = NODES.objectNode();
    for (JsonNode token : tokenizer.get("added_tokens")) {
      ObjectNode entry = NODES.objectNode();
      for (String field : List.of("content", "lstrip", "normalized", "rstrip", "single_word", "special")) {
        entry.set(field, token.get(field));
      }
      decoder.set(token.get("id").asText(), entry);
    }
    ObjectNode config = NODES.objectNode();
    config.set("added_tokens_decoder", decoder);
    config.put("clean_up_tokenization_spaces", false); // true would change " ." into "." when decoding
    config.put("cls_token", CLS);
    config.put("mask_token", MASK);
    config.put("pad_token", PAD);
    config.put("sep_token", SEP);
    config.put("unk_token", UNK);
    config.put("model_max_length", 8192); // ModernBERT's 1e30 overflows DJL's Integer
    config.set("model_input_names", NODES.arrayNode().add("input_ids").add("attention_mask"));
    config.put("tokenizer_class", "PreTrainedTokenizerFast");
    return config;
  }

  /** special_tokens_map.json. */
  public static ObjectNode specialTokensMap(JsonNode tokenizer) {
    ObjectNode map = NODES.objectNode();
    map.put("cls_token", CLS);
    ObjectNode mask = findAdded((ArrayNode) tokenizer.get("added_tokens"), MASK).deepCopy();
    mask.remove("id");
    mask.remove("special");
    map.set("mask_token", mask);
    map.put("pad_token", PAD);
    map.put("sep_token", SEP);
    map.put("unk_token", UNK);
    return map;
  }

  /** The id of a token: an added token's id, else its model-vocab id; -1 if neither has it. */
  public static int idOf(JsonNode tokenizer, String token) {
    ObjectNode added = findAdded((ArrayNode) tokenizer.get("added_tokens"), token);
    if (added != null) {
      return added.get("id").asInt();
    }
    JsonNode vocab = tokenizer.path("model").path("vocab");
    return vocab.has(token) ? vocab.get(token).asInt() : -1;
  }

  /** The number of ids the tokenizer uses (the embedding rows a model needs): highest id + 1. */
  public static int idCount(JsonNode tokenizer) {
    return nextId(tokenizer);
  }

  /**
   * Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json into {@code directory} through Beam's
   * {@code FileSystems} (so gs://, s3:// work as local paths do).
   */
  public static void writeFiles(String directory, ObjectNode tokenizer) throws java.io.IOException {
    BeamFiles.write(directory, "tokenizer.json", bytes(tokenizer));
    BeamFiles.write(directory, "tokenizer_config.json", bytes(tokenizerConfig(tokenizer)));
    BeamFiles.write(directory, "special_tokens_map.json", bytes(specialTokensMap(tokenizer)));
  }

  /**
   * The bytes of {@code directory}/tokenizer.json, read through {@code FileSystems}: how a later step of the same
   * pipeline loads the tokenizer {@link TrainTokenizer} wrote (e.g. into DJL's {@code HuggingFaceTokenizer.newInstance(
   * InputStream, options)}).
   */
  public static byte[] read(String directory) throws java.io.IOException {
    return BeamFiles.read(BeamFiles.resolve(directory, "tokenizer.json").toString());
  }

  /** Serializes a JSON tree the way the files are written (pretty, UTF-8). */
  public static byte[] bytes(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int nextId(JsonNode tokenizer) {
    int next = 0;
    JsonNode vocab = tokenizer.path("model").path("vocab");
    if (vocab.isObject()) {
      for (JsonNode id : vocab) {
        next = Math.max(next, id.asInt() + 1);
      }
    } else if (vocab.isArray()) {
      next = vocab.size(); // Unigram: [[piece, score], ...]
    }
    for (JsonNode token : tokenizer.path("added_tokens")) {
      next = Math.max(next, token.get("id").asInt() + 1);
    }
    return next;
  }

  private static ObjectNode findAdded(ArrayNode added, String content) {
    for (JsonNode token : added) {
      if (token.path("content").asText().equals(content)) {
        return (ObjectNode) token;
      }
    }
    return null;
  }

  private static void sortById(ArrayNode added) {
    List<JsonNode> tokens = new ArrayList<>();
    added.forEach(tokens::add);
    tokens.sort((x, y) -> Integer.compare(x.get("id").asInt(), y.get("id").asInt()));
    added.removeAll();
    added.addAll(tokens);
  }

  private static ObjectNode addedToken(int id, String content) {
    ObjectNode token = NODES.objectNode();
    token.put("id", id);
    token.put("content", content);
    token.put("single_word", false);
    token.put("lstrip", content.equals(MASK)); // "a [MASK]" masks the word with its space, as in ModernBERT
    token.put("rstrip", false);
    token.put("normalized", false);
    token.put("special", true);
    return token;
  }

  private static ObjectNode byteLevel() {
    return NODES.objectNode()
        .put("type", "ByteLevel")
        .put("add_prefix_space", false)
        .put("trim_offsets", true)
        .put("use_regex", true);
  }

  private static ObjectNode template(int cls, int sep) {
    ObjectNode special = NODES.objectNode();
    special.set(CLS, NODES.objectNode().put("id", CLS).<ObjectNode>set("ids", NODES.arrayNode().add(cls))
        .set("tokens", NODES.arrayNode().add(CLS)));
    special.set(SEP, NODES.objectNode().put("id", SEP).<ObjectNode>set("ids", NODES.arrayNode().add(sep))
        .set("tokens", NODES.arrayNode().add(SEP)));
    ObjectNode template = NODES.objectNode();
    template.put("type", "TemplateProcessing");
    template.set("single", NODES.arrayNode().add(piece("SpecialToken", CLS)).add(piece("Sequence", "A"))
        .add(piece("SpecialToken", SEP)));
    template.set("pair", NODES.arrayNode().add(piece("SpecialToken", CLS)).add(piece("Sequence", "A"))
        .add(piece("SpecialToken", SEP)).add(piece("Sequence", "B")).add(piece("SpecialToken", SEP)));
    template.set("special_tokens", special);
    return template;
  }

  /** A template piece; type id 0 everywhere, as ModernBERT (which has no token-type embeddings). */
  private static ObjectNode piece(String kind, String id) {
    ObjectNode piece = NODES.objectNode();
    piece.set(kind, NODES.objectNode().put("id", id).put("type_id", 0));
    return piece;
  }

  private static ObjectNode padding(int padId) {
    ObjectNode padding = NODES.objectNode();
    padding.put("strategy", "BatchLongest");
    padding.put("direction", "Right");
    padding.putNull("pad_to_multiple_of");
    padding.put("pad_id", padId);
    padding.put("pad_type_id", 0);
    padding.put("pad_token", PAD);
    return padding;
  }
}
