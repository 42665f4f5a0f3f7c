package dev.bertforge.transforms.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Encodes a document to token ids exactly as Hugging Face tokenizers does for a byte-level BPE {@code
 * tokenizer.json} (what train-tokenizer writes; GPT-2, RoBERTa and ModernBERT tokenizers have the same shape), in
 * plain Java and several times faster than the Rust library through JNI, because it computes ids only (no offsets,
 * token strings or alignments) and caches the ids of every word it has seen:
 *
 * <ol>
 *   <li>added tokens are cut out of the raw text first, leftmost-longest, with their {@code lstrip}/{@code rstrip};
 *   <li>each piece in between is normalized (NFC) and split by the GPT-2 pattern ({@link Gpt2Split});
 *   <li>each word's UTF-8 bytes become byte-level symbols, merged pair by pair, lowest merge rank first and the
 *       leftmost among equals (HF's {@code Word::merge_all});
 *   <li>the template's [CLS] and [SEP] go around the document.
 * </ol>
 *
 * <p>{@link #unsupported} says why another tokenizer shape cannot be encoded here; {@link #encode} returns null for
 * a text it cannot vouch for (a code point the JDK's Unicode version does not know, whose NFC may differ from
 * HF's). Callers use the Rust tokenizer in both cases. Not thread-safe (the word cache): one per DoFn instance.
 */
public final class ByteLevelBpeEncoder {
  /** Words cached at most (about 30 MB); HF's own BPE cache holds 10,000. */
  private static final int CACHE_LIMIT = 1 << 18;
  /** Below this code point every character is assigned in every Unicode version. */
  private static final char FIRST_CHECKED = '\u0300';

  private final PairMap ranks; // key(left, right) → merge rank + 1
  private final int[] mergedId; // merge rank → id of the merged token
  private final int[] byteId = new int[256]; // byte → id of its byte-level character
  private final Map<String, Integer> vocab; // only for ignore_merges
  private final String[] added;
  private final int[] addedId;
  private final boolean[] lstrip;
  private final boolean[] rstrip;
  private final int clsId;
  private final int sepId;
  private final WordCache cache = new WordCache(CACHE_LIMIT);
  private int[] out = new int[1024];
  private int length;

  private ByteLevelBpeEncoder(JsonNode tokenizer, int clsId, int sepId) {
    this.clsId = clsId;
    this.sepId = sepId;
    JsonNode model = tokenizer.get("model");
    Map<String, Integer> ids = new HashMap<>();
    model.get("vocab").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
    for (int b = 0; b < 256; b++) {
      byteId[b] = ids.get(String.valueOf(ByteLevel.charOf(b)));
    }
    JsonNode merges = model.get("merges");
    ranks = new PairMap(merges.size());
    mergedId = new int[merges.size()];
    for (int rank = 0; rank < merges.size(); rank++) {
      String[] pair = mergePair(merges.get(rank));
      long key = PairMap.key(ids.get(pair[0]), ids.get(pair[1]));
      ranks.add(key, rank + 1 - ranks.get(key)); // a repeated pair takes its last rank, as HF's map does
      mergedId[rank] = ids.get(pair[0] + pair[1]);
    }
    vocab = model.path("ignore_merges").asBoolean(false) ? ids : null;
    JsonNode tokens = tokenizer.path("added_tokens");
    added = new String[tokens.size()];
    addedId = new int[tokens.size()];
    lstrip = new boolean[tokens.size()];
    rstrip = new boolean[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      JsonNode token = tokens.get(i);
      added[i] = token.get("content").asText();
      addedId[i] = token.get("id").asInt();
      lstrip[i] = token.path("lstrip").asBoolean(false);
      rstrip[i] = token.path("rstrip").asBoolean(false);
    }
  }

  /**
   * An encoder for {@code tokenizer} whose template puts {@code clsId} … {@code sepId} around a document; call
   * {@link #unsupported} first.
   */
  public static ByteLevelBpeEncoder of(JsonNode tokenizer, int clsId, int sepId) {
    String why = unsupported(tokenizer);
    if (why != null) {
      throw new IllegalArgumentException("this tokenizer cannot be encoded in Java: " + why);
    }
    return new ByteLevelBpeEncoder(tokenizer, clsId, sepId);
  }

  /** Why {@code tokenizer} is not a byte-level BPE this class reproduces exactly, or null when it is. */
  public static String unsupported(JsonNode tokenizer) {
    JsonNode model = tokenizer.path("model");
    if (!model.path("type").asText("BPE").equals("BPE") || !model.path("merges").isArray()) {
      return "the model is not BPE";
    }
    for (String field : new String[] {"dropout", "continuing_subword_prefix", "end_of_word_suffix"}) {
      if (!model.path(field).isNull() && !model.path(field).isMissingNode() && !model.path(field).asText().isEmpty()) {
        return "BPE " + field + " is set";
      }
    }
    if (model.path("byte_fallback").asBoolean(false)) {
      return "BPE byte_fallback is set";
    }
    JsonNode normalizer = tokenizer.path("normalizer");
    boolean nfc = normalizer.path("type").asText().equals("NFC")
        || normalizer.path("type").asText().equals("Sequence") && normalizer.path("normalizers").size() == 1
            && normalizer.path("normalizers").get(0).path("type").asText().equals("NFC");
    if (!normalizer.isNull() && !normalizer.isMissingNode() && !nfc) {
      return "the normalizer is not NFC";
    }
    JsonNode pre = tokenizer.path("pre_tokenizer");
    if (!pre.path("type").asText().equals("ByteLevel") || pre.path("add_prefix_space").asBoolean(false)
        || !pre.path("use_regex").asBoolean(true)) {
      return "the pre-tokenizer is not ByteLevel(add_prefix_space=false, use_regex=true)";
    }
    for (JsonNode token : tokenizer.path("added_tokens")) {
      String content = token.path("content").asText();
      if (token.path("normalized").asBoolean(false) || token.path("single_word").asBoolean(false)
          || content.isEmpty() || content.strip().length() != content.length()) {
        return "added token '" + content + "' is normalized, single-word or padded with spaces";
      }
    }
    JsonNode vocab = model.path("vocab");
    for (int b = 0; b < 256; b++) {
      if (!vocab.has(String.valueOf(ByteLevel.charOf(b)))) {
        return "the vocabulary lacks byte-level character U+" + Integer.toHexString(ByteLevel.charOf(b));
      }
    }
    for (JsonNode merge : model.get("merges")) {
      String[] pair = mergePair(merge);
      if (pair == null || !vocab.has(pair[0]) || !vocab.has(pair[1]) || !vocab.has(pair[0] + pair[1])) {
        return "merge " + merge + " is not made of vocabulary tokens";
      }
    }
    return null;
  }

  /** A merge as HF writes it: "a b" (older files) or ["a", "b"]; null if neither. */
  private static String[] mergePair(JsonNode merge) {
    if (merge.isArray() && merge.size() == 2) {
      return new String[] {merge.get(0).asText(), merge.get(1).asText()};
    }
    String text = merge.asText();
    int space = text.indexOf(' ');
    return space > 0 && space == text.lastIndexOf(' ') ? new String[] {text.substring(0, space),
        text.substring(space + 1)} : null;
  }

  /** The document's ids with [CLS] and [SEP], or null when this encoder cannot vouch for them. */
  public int[] encode(String text) {
    length = 0;
    append(clsId);
    int done = 0;
    int[] next = new int[added.length];
    Arrays.fill(next, -2); // not searched yet
    while (done < text.length()) {
      int match = nextAddedToken(text, done, next);
      int start = match < 0 ? text.length() : next[match];
      int stop = match < 0 ? start : start + added[match].length();
      if (match >= 0) {
        start = lstrip[match] ? Math.max(done, skipWhitespaceBackward(text, start)) : start;
        stop = rstrip[match] ? skipWhitespaceForward(text, stop) : stop;
      }
      if (done < start && !encodePlain(text.substring(done, start))) {
        return null;
      }
      if (match >= 0) {
        append(addedId[match]);
      }
      done = Math.max(stop, start);
    }
    append(sepId);
    return Arrays.copyOf(out, length);
  }

  /**
   * The added token found next at or after {@code from}: leftmost, then longest (aho-corasick's LeftmostLongest, as
   * HF matches them); -1 if none. {@code next} caches each token's next occurrence.
   */
  private int nextAddedToken(String text, int from, int[] next) {
    int best = -1;
    for (int i = 0; i < added.length; i++) {
      if (next[i] != -1 && next[i] < from) {
        next[i] = text.indexOf(added[i], from);
      }
      if (next[i] >= 0 && (best < 0 || next[i] < next[best]
          || next[i] == next[best] && added[i].length() > added[best].length())) {
        best = i;
      }
    }
    return best;
  }

  private boolean encodePlain(String piece) {
    if (!knownToTheJdk(piece)) {
      return false;
    }
    Gpt2Split.split(PreTokenizer.normalize(piece), (normalized, start, end) -> {
      int[] ids = cache.get(normalized, start, end);
      if (ids == null) {
        ids = bpe(normalized.substring(start, end));
        cache.put(normalized, start, end, ids);
      }
      for (int id : ids) {
        append(id);
      }
    });
    return true;
  }

  /** BPE of one word: its bytes as symbols, then merges lowest rank first, leftmost among equal ranks. */
  int[] bpe(String word) {
    if (vocab != null) {
      Integer whole = vocab.get(ByteLevel.encode(word));
      if (whole != null) {
        return new int[] {whole};
      }
    }
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    int[] symbol = new int[n];
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      symbol[i] = byteId[bytes[i] & 0xFF];
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    PriorityQueue<Long> queue = new PriorityQueue<>(); // rank << 32 | position of the pair's left symbol
    for (int i = 0; i + 1 < n; i++) {
      offer(queue, symbol, i, i + 1);
    }
    int left = n;
    while (!queue.isEmpty()) {
      long top = queue.poll();
      int rank = (int) (top >>> 32);
      int at = (int) top;
      int right = next[at];
      if (symbol[at] < 0 || right < 0 || ranks.get(PairMap.key(symbol[at], symbol[right])) != rank + 1) {
        continue; // a merge around it changed the pair since it was queued
      }
      symbol[at] = mergedId[rank];
      symbol[right] = -1;
      next[at] = next[right];
      if (next[at] >= 0) {
        prev[next[at]] = at;
      }
      left--;
      if (prev[at] >= 0) {
        offer(queue, symbol, prev[at], at);
      }
      if (next[at] >= 0) {
        offer(queue, symbol, at, next[at]);
      }
    }
    int[] ids = new int[left];
    for (int i = 0, k = 0; i >= 0 && k < left; i = next[i]) {
      ids[k++] = symbol[i];
    }
    return ids;
  }

  private void offer(PriorityQueue<Long> queue, int[] symbol, int at, int right) {
    long rank = ranks.get(PairMap.key(symbol[at], symbol[right]));
    if (rank > 0) {
      queue.add(((rank - 1) << 32) | at);
    }
  }

  private void append(int id) {
    if (length == out.length) {
      out = Arrays.copyOf(out, length * 2);
    }
    out[length++] = id;
  }

  /** Whether every code point is assigned in the JDK's Unicode version, so that its NFC is HF's. */
  private static boolean knownToTheJdk(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= FIRST_CHECKED) {
        int cp = text.codePointAt(i);
        if (Character.getType(cp) == Character.UNASSIGNED) {
          return false;
        }
        i += Character.charCount(cp) - 1;
      }
    }
    return true;
  }

  /** Where a run of whitespace (Rust's char::is_whitespace) that ends at {@code end} begins. */
  private static int skipWhitespaceBackward(String text, int end) {
    int i = end;
    while (i > 0 && isWhiteSpace(text.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  private static int skipWhitespaceForward(String text, int start) {
    int i = start;
    while (i < text.length() && isWhiteSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Unicode's White_Space property, which Rust's {@code char::is_whitespace} follows (all in the BMP). */
  static boolean isWhiteSpace(char c) {
    return c >= '\t' && c <= '\r' || c == ' ' || c == '\u0085' || c == '\u00A0' || c == '\u1680'
        || c >= '\u2000' && c <= '\u200A' || c == '\u2028' || c == '\u2029' || c == '\u202F' || c == '\u205F'
        || c == '\u3000';
  }
}
