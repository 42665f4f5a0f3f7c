package dev.bertforge.transforms.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the fixtures made by {@code src/test/python/make_tokenizer_fixtures.py} with Hugging Face tokenizers. */
final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static JsonNode json(String name) {
    try (InputStream in = open(name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The "text" of every line of a JSONL corpus. */
  static List<String> documents(String name) {
    List<String> docs = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(name), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        docs.add(JSON.readTree(line).get("text").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  /** Pre-token counts of documents, as HF's train_from_iterator counts them (raw pieces, not byte-level). */
  static Map<String, Long> wordCounts(List<String> docs) {
    Map<String, Long> counts = new HashMap<>();
    for (String doc : docs) {
      for (String piece : Gpt2Split.split(PreTokenizer.normalize(doc))) {
        counts.merge(piece, 1L, Long::sum);
      }
    }
    return counts;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static InputStream open(String name) {
    InputStream in = Fixtures.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing fixture " + name);
    }
    return in;
  }
}
