package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import ai.djl.huggingface.tokenizers.Encoding;
import dev.bertforge.options.TrainTokenizerOptions.SpecialTokenPosition;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.TrainTokenizerOptions.SpecialTokenPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written files load in DJL (HF tokenizers 0.21 underneath) and encode exactly as HF's own trained tokenizer. */
class TokenizerJsonTest {
  private static final Map<String, String> NO_TRUNCATION_NO_PADDING = Map.of("truncation", "false", "padding", "false");
  private static final List<String> HARD_TEXTS = List.of(
      "naïve café cafe\u0301 Ångström", "emoji 😀👍🏽 👨\u200d👩\u200d👧 🇩🇪", "中文字符测试。日本語のテキスト 한국어",
      "\u0000\u0001\u0007\u001b[31mred\u001b[0m\u001c\u007f", "tab\tnew\nline\r\n  spaces   ", "\u00a0\u2000\u3000\u2028",
      "");

  @TempDir Path dir;

  @Test
  void djlEncodesLikeHuggingFaceAndDecodesBackToNfc() throws Exception {
    JsonNode hf = Fixtures.json("hf-licenses.json");
    TokenizerJson.writeFiles(dir.toString(), TokenizerJson.of(trainLicenses(), SpecialTokenPosition.FIRST));

    try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(dir, NO_TRUNCATION_NO_PADDING)) {
      for (JsonNode e : hf.get("encodings")) {
        long[] expected = new long[e.get("ids").size()];
        Arrays.setAll(expected, i -> e.get("ids").get(i).asLong());
        assertThat(e.get("text").asText(), djl.encode(e.get("text").asText()).getIds(), equalTo(expected));
      }
      for (String text : HARD_TEXTS) {
        Encoding encoding = djl.encode(text);
        assertThat(djl.decode(encoding.getIds(), true), equalTo(Normalizer.normalize(text, Normalizer.Form.NFC)));
      }
      long[] masked = djl.encode("x [MASK] y").getIds();
      assertThat(masked[0], equalTo(1L)); // [CLS]
      assertThat(masked[masked.length - 1], equalTo(2L)); // [SEP]
      assertThat(Arrays.stream(masked).boxed().toList(), hasItem(4L)); // [MASK], its space swallowed by lstrip
    }
  }

  @Test
  void specialTokensCanGoLastAsInModernBert() throws Exception {
    BpeModel model = trainLicenses();
    ObjectNode tokenizer = TokenizerJson.of(model, SpecialTokenPosition.LAST);
    int first = model.tokens().size();
    assertThat(TokenizerJson.idOf(tokenizer, TokenizerJson.UNK), equalTo(first));
    assertThat(TokenizerJson.idOf(tokenizer, TokenizerJson.MASK), equalTo(first + 4));
    TokenizerJson.writeFiles(dir.toString(), tokenizer);
    try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(dir, NO_TRUNCATION_NO_PADDING)) {
      long[] ids = djl.encode("GNU").getIds();
      assertThat(ids[0], equalTo((long) first + 1));
      assertThat(djl.decode(ids, true), equalTo("GNU"));
    }
  }

  @Test
  void adoptsAnExistingTokenizerByAddingTheBertSpecialsAndTemplate() throws Exception {
    ObjectNode base = (ObjectNode) new ObjectMapper().readTree(
        getClass().getResourceAsStream("base-tokenizer.json"));
    int before = TokenizerJson.idCount(base);

    List<String> changes = TokenizerJson.adopt(base);

    assertThat(changes.size(), equalTo(6)); // five specials and the template
    assertThat(TokenizerJson.idOf(base, TokenizerJson.UNK), equalTo(before));
    assertThat(TokenizerJson.idOf(base, TokenizerJson.MASK), equalTo(before + 4));
    assertThat(TokenizerJson.idOf(base, "<|endoftext|>"), equalTo(0));
    assertThat(TokenizerJson.adopt(base).size(), equalTo(0)); // adopting twice changes nothing
    TokenizerJson.writeFiles(dir.toString(), base);
    try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(dir, NO_TRUNCATION_NO_PADDING)) {
      long[] ids = djl.encode("Free software").getIds();
      assertThat(ids[0], equalTo((long) before + 1));
      assertThat(ids[ids.length - 1], equalTo((long) before + 2));
      assertThat(djl.decode(ids, true), equalTo("Free software"));
    }
    JsonNode config = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve("tokenizer_config.json")));
    assertThat(config.get("model_max_length").asInt(), equalTo(8192));
    assertThat(config.get("added_tokens_decoder").get(String.valueOf(before + 4)).get("content").asText(),
        equalTo("[MASK]"));
  }

  private static BpeModel trainLicenses() {
    return new BpeTrainer(1024 - 5, 2).train(
        BpeTrainerTest.words(Fixtures.wordCounts(Fixtures.documents("corpus-licenses.jsonl"))));
  }
}
