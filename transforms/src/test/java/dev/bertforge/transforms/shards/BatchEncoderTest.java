package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.tokenizer.TokenizerLocation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {
  @Test
  void idsEqualHuggingFaceTokenizersWithClsAndSep() throws Exception {
    List<Document> documents = Fixtures.documents();
    Map<String, int[]> expected = Fixtures.encodings();
    String[] texts = documents.stream().map(Document::text).toArray(String[]::new);
    try (BatchEncoder encoder = BatchEncoder.fromJson(TokenizerLocation.read(Fixtures.tokenizer()))) {
      int[][] ids = encoder.encode(texts);
      for (int i = 0; i < texts.length; i++) {
        String id = documents.get(i).id();
        assertThat(id + " " + Arrays.toString(ids[i]), ids[i], equalTo(expected.get(id)));
      }
      // the same ids one by one as in a batch; long documents are not truncated at DJL's default 512
      assertThat(encoder.encode(new String[] {texts[0]})[0].length, equalTo(expected.get("doc-000").length));
      assertThat(expected.get("doc-000").length > 512, equalTo(true));
    }
  }
}
