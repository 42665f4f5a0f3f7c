package dev.bertforge.transforms.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the token shards' manifest records about the tokenizer, read from a Hugging Face {@code tokenizer.json}: its
 * sha256, vocabulary size, special tokens, and the [CLS]/[SEP] ids its post-processor puts around a document.
 *
 * <p>The post-processor must wrap a single sequence in exactly one special token on each side ({@code
 * TemplateProcessing "[CLS] $A [SEP]"}, {@code BertProcessing} or {@code RobertaProcessing}): that is the contract
 * splitting relies on, since every window of a long document is wrapped the same way.
 */
public final class TokenizerInfo implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String sha256;
  private final int vocabSize;
  private final int clsId;
  private final int sepId;
  private final Map<String, Integer> specialTokens;

  private TokenizerInfo(String sha256, int vocabSize, int clsId, int sepId, Map<String, Integer> specialTokens) {
    this.sha256 = sha256;
    this.vocabSize = vocabSize;
    this.clsId = clsId;
    this.sepId = sepId;
    this.specialTokens = Collections.unmodifiableMap(specialTokens);
  }

  /** Parses {@code tokenizer.json}; {@code source} names it in errors. */
  public static TokenizerInfo parse(byte[] tokenizerJson, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not a JSON tokenizer file: " + e.getMessage(), e);
    }
    if (root == null || !root.path("model").isObject()) {
      throw new IllegalArgumentException(source + ": not a Hugging Face tokenizer.json (no \"model\" object)");
    }
    int maxId = -1;
    for (JsonNode id : iterable(root.path("model").path("vocab").elements())) {
      maxId = Math.max(maxId, id.asInt());
    }
    Map<String, Integer> specials = new LinkedHashMap<>();
    for (JsonNode added : root.path("added_tokens")) {
      maxId = Math.max(maxId, added.path("id").asInt());
      if (added.path("special").asBoolean(false)) {
        specials.put(added.path("content").asText(), added.path("id").asInt());
      }
    }
    if (maxId < 0) {
      throw new IllegalArgumentException(source + ": the tokenizer has an empty vocabulary");
    }
    int[] clsSep = wrappingSpecialIds(root.path("post_processor"), source);
    return new TokenizerInfo(sha256(tokenizerJson), maxId + 1, clsSep[0], clsSep[1], specials);
  }

  /** [first id, last id] that the post-processor adds around a single sequence. */
  private static int[] wrappingSpecialIds(JsonNode processor, String source) {
    String type = processor.path("type").asText("");
    switch (type) {
      case "TemplateProcessing":
        return templateIds(processor, source);
      case "BertProcessing":
      case "RobertaProcessing":
        return new int[] {processor.path("cls").path(1).asInt(), processor.path("sep").path(1).asInt()};
      case "Sequence":
        for (JsonNode inner : processor.path("processors")) {
          if (!inner.path("type").asText("").equals("ByteLevel")) { // ByteLevel only fixes offsets
            return wrappingSpecialIds(inner, source);
          }
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(
        source + ": the tokenizer's post_processor must put one special token before and after a document "
            + "(TemplateProcessing \"[CLS] $A [SEP]\"); found " + (type.isEmpty() ? "none" : type));
  }

  private static int[] templateIds(JsonNode processor, String source) {
    JsonNode single = processor.path("single");
    if (single.size() == 3 && single.get(1).has("Sequence")) {
      Integer first = singleId(processor, single.get(0));
      Integer last = singleId(processor, single.get(2));
      if (first != null && last != null) {
        return new int[] {first, last};
      }
    }
    throw new IllegalArgumentException(
        source + ": the post_processor template for one sequence must be \"[CLS] $A [SEP]\" (one special token on "
            + "each side); found " + single);
  }

  private static Integer singleId(JsonNode processor, JsonNode piece) {
    if (!piece.has("SpecialToken")) {
      return null;
    }
    JsonNode ids = processor.path("special_tokens").path(piece.get("SpecialToken").path("id").asText()).path("ids");
    return ids.size() == 1 ? ids.get(0).asInt() : null;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> Iterable<T> iterable(Iterator<T> iterator) {
    return () -> iterator;
  }

  /** Hex sha256 of the tokenizer.json bytes. */
  public String sha256() {
    return sha256;
  }

  /** Highest token id + 1, added tokens included. */
  public int vocabSize() {
    return vocabSize;
  }

  /** The id the template puts before a document ([CLS]). */
  public int clsId() {
    return clsId;
  }

  /** The id the template puts after a document ([SEP]). */
  public int sepId() {
    return sepId;
  }

  /** Every added token marked special, by content, in the file's order. */
  public Map<String, Integer> specialTokens() {
    return specialTokens;
  }
}
