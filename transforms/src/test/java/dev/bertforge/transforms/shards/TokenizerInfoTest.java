package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.transforms.tokenizer.TokenizerLocation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizerInfoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheFixtureTokenizer() throws Exception {
    TokenizerInfo info = TokenizerInfo.parse(TokenizerLocation.read(Fixtures.tokenizer()), "fixture");
    assertThat(info.vocabSize(), equalTo(400)); // trained with vocab_size=400
    assertThat(info.clsId(), equalTo(1));
    assertThat(info.sepId(), equalTo(2));
    assertThat(info.specialTokens(),
        equalTo(Map.of("[UNK]", 0, "[CLS]", 1, "[SEP]", 2, "[PAD]", 3, "[MASK]", 4)));
    assertThat(info.sha256(), equalTo(Fixtures.sha256OfTokenizer()));
  }

  @Test
  void acceptsBertProcessing() throws Exception {
    ObjectNode root = fixture();
    root.set("post_processor", JSON.readTree("{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",2],\"cls\":[\"[CLS]\",1]}"));
    TokenizerInfo info = TokenizerInfo.parse(bytes(root), "bert");
    assertThat(info.clsId(), equalTo(1));
    assertThat(info.sepId(), equalTo(2));
  }

  @Test
  void rejectsATokenizerWithoutTheTemplate() throws Exception {
    ObjectNode root = fixture();
    root.putNull("post_processor");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TokenizerInfo.parse(bytes(root), "my/tokenizer.json"));
    assertThat(e.getMessage(), containsString("my/tokenizer.json: the tokenizer's post_processor must put one special"));
  }

  @Test
  void rejectsATemplateWithTwoTokensBefore() throws Exception {
    ObjectNode root = fixture();
    root.set("post_processor", JSON.readTree("{\"type\":\"TemplateProcessing\",\"single\":["
        + "{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[MASK]\",\"type_id\":0}},"
        + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}],"
        + "\"special_tokens\":{}}"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TokenizerInfo.parse(bytes(root), "t.json"));
    assertThat(e.getMessage(), containsString("must be \"[CLS] $A [SEP]\""));
  }

  @Test
  void rejectsSomethingElse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenizerInfo.parse("{\"vocab\": {}}".getBytes(StandardCharsets.UTF_8), "vocab.json"));
    assertThat(e.getMessage(), equalTo("vocab.json: not a Hugging Face tokenizer.json (no \"model\" object)"));
  }

  private static ObjectNode fixture() throws Exception {
    return (ObjectNode) JSON.readTree(TokenizerLocation.read(Fixtures.tokenizer()));
  }

  private static byte[] bytes(ObjectNode root) throws Exception {
    return JSON.writeValueAsBytes(root);
  }
}
