package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.transforms.shards.BatchEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Java encoder against Hugging Face tokenizers: Python's ids (fixture) and the Rust library through DJL. */
class ByteLevelBpeEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHARDS = resources().resolve("shards");

  @Test
  void idsEqualPythonTokenizersOnTheFixtureDocuments() throws Exception {
    ByteLevelBpeEncoder encoder = ByteLevelBpeEncoder.of(fixtureTokenizer(), 1, 2);
    List<String> lines = Files.readAllLines(SHARDS.resolve("docs.jsonl"));
    List<String> expected = Files.readAllLines(SHARDS.resolve("encodings.jsonl"));
    for (int i = 0; i < lines.size(); i++) {
      JsonNode doc = JSON.readTree(lines.get(i));
      JsonNode ids = JSON.readTree(expected.get(i)).get("ids");
      assertThat(doc.get("id").asText(), Arrays.toString(encoder.encode(doc.get("text").asText())),
          equalTo(ids.toString().replace(",", ", ")));
    }
  }

  @Test
  void idsEqualTheRustTokenizerOnRandomTextWithSpecialTokensAndStripping() throws Exception {
    ObjectNode tokenizer = fixtureTokenizer();
    for (JsonNode token : tokenizer.get("added_tokens")) { // as train-tokenizer and ModernBERT: [MASK] takes its space
      ((ObjectNode) token).put("lstrip", token.get("content").asText().equals("[MASK]"));
      ((ObjectNode) token).put("rstrip", token.get("content").asText().equals("[SEP]"));
    }
    // an added token that starts like another: the longer one wins where both match (leftmost-longest)
    ((com.fasterxml.jackson.databind.node.ArrayNode) tokenizer.get("added_tokens")).insert(0, JSON.readTree(
        "{\"id\":400,\"content\":\"[MASK]]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
            + "\"normalized\":false,\"special\":false}"));
    ByteLevelBpeEncoder java = ByteLevelBpeEncoder.of(tokenizer, 1, 2);
    Random random = new Random(42);
    String[] texts = new String[3000];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = randomText(random);
    }
    try (BatchEncoder rust = BatchEncoder.fromJson(JSON.writeValueAsBytes(tokenizer))) {
      int[][] expected = rust.encode(texts);
      for (int i = 0; i < texts.length; i++) {
        assertThat(JSON.writeValueAsString(texts[i]), java.encode(texts[i]), equalTo(expected[i]));
      }
    }
  }

  @Test
  void longWordsMergeAsInRust() throws Exception {
    ByteLevelBpeEncoder java = ByteLevelBpeEncoder.of(fixtureTokenizer(), 1, 2);
    Random random = new Random(3);
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < 20000; i++) {
      word.append("thedatamodel".charAt(random.nextInt(12)));
    }
    String[] texts = {word.toString(), "=".repeat(5000), " " + "ab".repeat(3000)};
    try (BatchEncoder rust = BatchEncoder.fromJson(JSON.writeValueAsBytes(fixtureTokenizer()))) {
      int[][] expected = rust.encode(texts);
      for (int i = 0; i < texts.length; i++) {
        assertThat(java.encode(texts[i]), equalTo(expected[i]));
      }
    }
  }

  @Test
  void declinesCodePointsTheJdkDoesNotKnow() throws Exception {
    ByteLevelBpeEncoder java = ByteLevelBpeEncoder.of(fixtureTokenizer(), 1, 2);
    assertThat(java.encode("a\u0378b"), nullValue()); // U+0378 is unassigned
    assertThat(java.encode("café").length > 2, equalTo(true));
  }

  @Test
  void saysWhyOtherTokenizersAreNotForIt() throws Exception {
    ObjectNode wordPiece = fixtureTokenizer();
    ((ObjectNode) wordPiece.get("model")).put("type", "WordPiece");
    assertThat(ByteLevelBpeEncoder.unsupported(wordPiece), equalTo("the model is not BPE"));
    ObjectNode prefixSpace = fixtureTokenizer();
    ((ObjectNode) prefixSpace.get("pre_tokenizer")).put("add_prefix_space", true);
    assertThat(ByteLevelBpeEncoder.unsupported(prefixSpace), containsString("add_prefix_space=false"));
    ObjectNode lowercase = fixtureTokenizer();
    lowercase.set("normalizer", JSON.readTree("{\"type\":\"Lowercase\"}"));
    assertThat(ByteLevelBpeEncoder.unsupported(lowercase), equalTo("the normalizer is not NFC"));
    assertThat(ByteLevelBpeEncoder.unsupported(fixtureTokenizer()), nullValue());
  }

  private static final String[] PIECES = {
    "the", " model", " data", "token", "s", "'s", "'ll", "'re", "'D", " 42", "3.14", "!!", "...", " ", "  ", "   ",
    "\n", "\n\n", "\t", " \n ", "\u00A0", "\u3000", "é", "e\u0301", "Café", "東京", "🙂", "🚀🚀", "𝔘", "[CLS]",
    "[SEP]", "[MASK]", " [MASK]", "  [MASK] ", "[MAS", "[[SEP]]", "[MASK]]", "]", "[PAD][PAD]", "x", "_", "-", "¿", "ß", "İ", "\r\n"
  };

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = 0, n = random.nextInt(30); i < n; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  private static ObjectNode fixtureTokenizer() throws Exception {
    return (ObjectNode) JSON.readTree(SHARDS.resolve("tokenizer/tokenizer.json").toFile());
  }

  private static Path resources() {
    try {
      return Path.of(ByteLevelBpeEncoderTest.class.getResource("/shards/docs.jsonl").toURI()).getParent().getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

}
