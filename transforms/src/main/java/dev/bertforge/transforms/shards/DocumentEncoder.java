package dev.bertforge.transforms.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.TokenEncoder;
import dev.bertforge.transforms.tokenizer.ByteLevelBpeEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes batches of documents with one tokenizer: in plain Java when it is a byte-level BPE ({@link
 * ByteLevelBpeEncoder}, the same ids several times faster), with DJL's Rust tokenizers otherwise, and also for the
 * rare document the Java encoder declines. DJL is loaded only when first needed.
 */
final class DocumentEncoder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentEncoder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] tokenizerJson;
  private final @Nullable ByteLevelBpeEncoder java;
  private @Nullable BatchEncoder djl;
  /** Documents the last {@link #encode} call gave to DJL. */
  int encodedByDjl;

  private DocumentEncoder(byte[] tokenizerJson, @Nullable ByteLevelBpeEncoder java) {
    this.tokenizerJson = tokenizerJson;
    this.java = java;
  }

  static DocumentEncoder load(byte[] tokenizerJson, TokenizerInfo info, TokenEncoder choice, String source)
      throws IOException {
    if (choice == TokenEncoder.DJL) {
      return new DocumentEncoder(tokenizerJson, null);
    }
    JsonNode tokenizer = JSON.readTree(tokenizerJson);
    String why = ByteLevelBpeEncoder.unsupported(tokenizer);
    if (why != null) {
      LOG.info("{}: encoding with DJL ({})", source, why);
      return new DocumentEncoder(tokenizerJson, null);
    }
    return new DocumentEncoder(tokenizerJson, ByteLevelBpeEncoder.of(tokenizer, info.clsId(), info.sepId()));
  }

  /** The ids of each text, [CLS] and [SEP] included. */
  int[][] encode(String[] texts) throws IOException {
    int[][] ids = new int[texts.length][];
    List<Integer> declined = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      ids[i] = java == null ? null : java.encode(texts[i]);
      if (ids[i] == null) {
        declined.add(i);
      }
    }
    encodedByDjl = declined.size();
    if (!declined.isEmpty()) {
      String[] rest = new String[declined.size()];
      for (int k = 0; k < rest.length; k++) {
        rest[k] = texts[declined.get(k)];
      }
      int[][] fromDjl = djl().encode(rest);
      for (int k = 0; k < rest.length; k++) {
        ids[declined.get(k)] = fromDjl[k];
      }
    }
    return ids;
  }

  private BatchEncoder djl() throws IOException {
    if (djl == null) {
      djl = BatchEncoder.fromJson(tokenizerJson);
    }
    return djl;
  }

  @Override
  public void close() {
    if (djl != null) {
      djl.close();
      djl = null;
    }
  }
}
