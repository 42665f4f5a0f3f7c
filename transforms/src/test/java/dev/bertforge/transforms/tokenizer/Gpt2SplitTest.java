package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class Gpt2SplitTest {
  @Test
  void matchesHuggingFaceOnTrickyAndRandomUnicode() {
    JsonNode cases = Fixtures.json("pretokenize.json").get("cases");
    assertThat(cases.size(), greaterThan(600));
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      List<String> expected = Fixtures.strings(c.get("pieces"));
      assertThat("pre-tokens of " + escape(text), PreTokenizer.byteLevelWords(text), equalTo(expected));
    }
  }

  @Test
  void keepsTheLastSpaceOfARunForTheNextWord() {
    assertThat(Gpt2Split.split("a   b"), contains("a", "  ", " b"));
    assertThat(Gpt2Split.split("x  "), contains("x", "  "));
    assertThat(Gpt2Split.split("don't 's"), contains("don", "'t", " '", "s"));
  }

  @Test
  void piecesCoverTheTextExactly() {
    String text = "  Hello,\tworld!! 123abc 😀 中文 x'll\n\n ";
    assertThat(String.join("", Gpt2Split.split(text)), equalTo(text));
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(cp -> out.append(cp < 0x20 || cp > 0x7E ? String.format("\\u%04X", cp) : String.valueOf((char) cp)));
    return out.toString();
  }
}
