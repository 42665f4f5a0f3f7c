package dev.bertforge.transforms.shards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.ShardCompression;
import dev.bertforge.options.ShardMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: what a reader needs to trust a shard set — the format version, the tokenizer it was made
 * with, how rows were cut, totals that equal the sums over the shard lines, and one line per shard file.
 */
final class Manifest {
  static final String FORMAT = "bertforge-token-shards";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String[][] ROLES = {
    {"unk", "[UNK]", "<unk>"}, {"pad", "[PAD]", "<pad>"}, {"mask", "[MASK]", "<mask>"}
  };

  private Manifest() {}

  /**
   * The manifest of one shard set. {@code validationFraction} and {@code rejected} (counts by reason) belong in the
   * training set's manifest only: pass {@code null} for the validation set.
   */
  static byte[] toJson(String split, TokenizerInfo tokenizer, ShardMode mode, int maxSeqLen,
      ShardCompression compression, List<ShardSummary> shards, Double validationFraction,
      Map<String, Long> rejected) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("split", split);
    root.put("tokenizer_sha256", tokenizer.sha256());
    root.put("vocab_size", tokenizer.vocabSize());
    ObjectNode ids = root.putObject("special_ids");
    ids.put("cls", tokenizer.clsId());
    ids.put("sep", tokenizer.sepId());
    for (String[] role : ROLES) {
      for (int i = 1; i < role.length; i++) {
        Integer id = tokenizer.specialTokens().get(role[i]);
        if (id != null) {
          ids.put(role[0], id);
          break;
        }
      }
    }
    ObjectNode specials = root.putObject("special_tokens");
    tokenizer.specialTokens().forEach(specials::put);
    root.put("max_seq_len", maxSeqLen);
    root.put("mode", mode.toString());
    root.put("compression", compression.toString());
    ObjectNode features = root.putObject("features");
    features.put("input_ids", "int64_list");
    features.put("doc_lengths", "int64_list");

    long documents = 0, rows = 0, tokens = 0, bytes = 0, documentsSplit = 0, truncated = 0;
    ArrayNode lines = JSON.createArrayNode();
    for (ShardSummary s : shards) {
      documents += s.documents;
      rows += s.rows;
      tokens += s.tokens;
      bytes += s.bytes;
      documentsSplit += s.documentsSplit;
      truncated += s.tokensTruncated;
      ObjectNode line = lines.addObject();
      line.put("file", s.file);
      line.put("documents", s.documents);
      line.put("rows", s.rows);
      line.put("tokens", s.tokens);
      line.put("bytes", s.bytes);
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("shards", shards.size());
    totals.put("documents", documents);
    totals.put("rows", rows);
    totals.put("tokens", tokens);
    totals.put("bytes", bytes);
    totals.put("fill_ratio", rows == 0 ? 0.0 : (double) tokens / ((double) rows * maxSeqLen));
    totals.put("documents_split", documentsSplit);
    totals.put("tokens_truncated", truncated);
    if (validationFraction != null) {
      ObjectNode validation = root.putObject("validation");
      validation.put("fraction", validationFraction);
      validation.put("manifest", validationFraction > 0 ? "validation/" + ShardFiles.MANIFEST : null);
    }
    if (rejected != null) {
      ObjectNode r = root.putObject("rejected_documents");
      for (RejectedDocument.Reason reason : RejectedDocument.Reason.values()) {
        r.put(reason.label(), rejected.getOrDefault(reason.label(), 0L));
      }
    }
    root.set("shards", lines);
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
