package dev.bertforge.transforms.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.transforms.io.Document;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * report.json, and the writing of a finished tokenizer with it: the three tokenizer files, then the report with the
 * vocabulary, the special-token ids, the longest tokens and bytes per token on held-out documents. The held-out
 * figure is measured with DJL's {@code HuggingFaceTokenizer} on the file just written, so every run also checks that
 * the file loads where {@code pretokenize} will use it.
 */
final class TokenizerReport {
  private static final Logger LOG = LoggerFactory.getLogger(TokenizerReport.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final int LONGEST_TOKENS = 50;
  /** Enough text for a stable figure; DJL encodes about 1 MB/s per core. */
  static final long HELD_OUT_MAX_BYTES = 4L << 20;

  private TokenizerReport() {}

  /** Writes the tokenizer files and report.json (completed here) into {@code directory}. */
  static void write(String directory, ObjectNode tokenizer, ObjectNode report, Iterable<Document> heldOut)
      throws IOException {
    TokenizerJson.writeFiles(directory, tokenizer);
    report.put("tokenizer", BeamFiles.resolve(directory, "tokenizer.json").toString());
    report.put("vocab_size", TokenizerJson.idCount(tokenizer));
    ObjectNode specials = report.putObject("special_tokens");
    TokenizerJson.SPECIAL_TOKENS.forEach(t -> specials.put(t, TokenizerJson.idOf(tokenizer, t)));
    long started = System.nanoTime();
    report.set("held_out", heldOut(TokenizerJson.bytes(tokenizer), heldOut));
    ((ObjectNode) report.path("timings_seconds")).put("held_out", seconds(started));
    report.set("longest_tokens", longestTokens(tokenizer, LONGEST_TOKENS));
    BeamFiles.write(directory, "report.json", TokenizerJson.bytes(report));
    LOG.info("tokenizer written to {}: {} ids, held-out {}", directory, report.get("vocab_size"), report.get("held_out"));
  }

  /** What pruning removed, from the histogram of word counts. */
  static ObjectNode pruning(WordHistogram histogram, long minWordCount, long maxWords, long cutoff) {
    WordHistogram.Totals all = histogram.totals();
    WordHistogram.Totals pruned = histogram.below(cutoff);
    ObjectNode node = NODES.objectNode();
    node.put("min_word_count", minWordCount);
    node.put("max_words", maxWords);
    node.put("cutoff_count", cutoff);
    node.put("kept_words", all.words() - pruned.words());
    node.put("pruned_words", pruned.words());
    node.put("pruned_occurrences", pruned.occurrences());
    node.put("pruned_bytes", pruned.bytes());
    node.put("pruned_bytes_fraction", all.bytes() == 0 ? 0.0 : (double) pruned.bytes() / all.bytes());
    return node;
  }

  static ObjectNode corpus(WordHistogram histogram) {
    WordHistogram.Totals all = histogram.totals();
    return NODES.objectNode()
        .put("distinct_words", all.words())
        .put("word_occurrences", all.occurrences())
        .put("bytes", all.bytes());
  }

  private record LongToken(int id, String token, byte[] bytes) {}

  /** The longest tokens by the bytes they stand for, longest first (ties by id). */
  static ArrayNode longestTokens(JsonNode tokenizer, int limit) {
    boolean byteLevel = tokenizer.path("decoder").toString().contains("ByteLevel");
    List<Map.Entry<String, JsonNode>> vocab = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tokenizer.path("model").path("vocab").fields(); it.hasNext(); ) {
      vocab.add(it.next());
    }
    List<LongToken> tokens = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : vocab) {
      byte[] bytes = byteLevel ? ByteLevel.decode(e.getKey()) : e.getKey().getBytes(StandardCharsets.UTF_8);
      tokens.add(new LongToken(e.getValue().asInt(), e.getKey(), bytes));
    }
    tokens.sort(Comparator.comparingInt((LongToken t) -> -t.bytes().length).thenComparingInt(LongToken::id));
    ArrayNode out = NODES.arrayNode();
    for (LongToken t : tokens.subList(0, Math.min(limit, tokens.size()))) {
      out.addObject()
          .put("id", t.id())
          .put("token", t.token())
          .put("text", new String(t.bytes(), StandardCharsets.UTF_8))
          .put("bytes", t.bytes().length);
    }
    return out;
  }

  /** Bytes per token (specials not counted) over held-out documents, up to {@link #HELD_OUT_MAX_BYTES}. */
  static ObjectNode heldOut(byte[] tokenizerJson, Iterable<Document> documents) throws IOException {
    long docs = 0;
    long bytes = 0;
    long tokens = 0;
    Map<String, String> options = Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");
    try (HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options)) {
      List<String> batch = new ArrayList<>();
      for (Iterator<Document> it = documents.iterator(); it.hasNext() && bytes < HELD_OUT_MAX_BYTES; ) {
        String text = it.next().text();
        batch.add(text);
        docs++;
        bytes += text.getBytes(StandardCharsets.UTF_8).length;
        if (batch.size() == 64 || !it.hasNext() || bytes >= HELD_OUT_MAX_BYTES) {
          for (Encoding encoding : tokenizer.batchEncode(batch)) {
            tokens += encoding.getIds().length;
          }
          batch.clear();
        }
      }
    }
    ObjectNode node = NODES.objectNode();
    node.put("documents", docs);
    node.put("bytes", bytes);
    node.put("tokens", tokens);
    if (tokens > 0) {
      node.put("bytes_per_token", Math.round(1000.0 * bytes / tokens) / 1000.0);
    } else {
      node.putNull("bytes_per_token");
    }
    return node;
  }

  static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }
}
