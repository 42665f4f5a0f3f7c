package dev.bertforge.transforms.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.transforms.io.Document;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.TestPipeline;

/** The fixtures of src/test/resources/shards (made by make_fixtures.py with Hugging Face tokenizers). */
final class Fixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static Path directory() {
    try {
      return Path.of(Fixtures.class.getResource("/shards/docs.jsonl").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fixture tokenizer's directory (holds tokenizer.json). */
  static String tokenizer() {
    return directory().resolve("tokenizer").toString();
  }

  /** The sha256 that Python's hashlib computed of the fixture tokenizer.json. */
  static String sha256OfTokenizer() {
    try {
      return Files.readString(directory().resolve("tokenizer.sha256")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Document> documents() {
    List<Document> documents = new ArrayList<>();
    for (JsonNode line : lines("docs.jsonl")) {
      documents.add(Document.of(line.get("id").asText(), line.get("text").asText()));
    }
    return documents;
  }

  /** Hugging Face tokenizers' ids of every document, [CLS]/[SEP] included, by id. */
  static Map<String, int[]> encodings() {
    Map<String, int[]> encodings = new LinkedHashMap<>();
    for (JsonNode line : lines("encodings.jsonl")) {
      JsonNode ids = line.get("ids");
      int[] values = new int[ids.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = ids.get(i).asInt();
      }
      encodings.put(line.get("id").asText(), values);
    }
    return encodings;
  }

  private static List<JsonNode> lines(String name) {
    try {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : Files.readAllLines(directory().resolve(name))) {
        nodes.add(JSON.readTree(line));
      }
      return nodes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TestPipeline for JUnit 5 (no @Rule). */
  static TestPipeline pipeline() {
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline.getOptions().setStableUniqueNames(PipelineOptions.CheckEnabled.OFF);
    return pipeline;
  }
}
