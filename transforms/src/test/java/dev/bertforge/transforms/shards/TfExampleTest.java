package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TfExampleTest {
  @Test
  void bytesEqualTensorFlowsSerialization() throws Exception {
    // tf_example.hex: TensorFlow's SerializeToString(deterministic=True) of the same Example (make_tf_example.py)
    String expected = Files.readString(Fixtures.directory().resolve("tf_example.hex")).trim();
    byte[] bytes = new TfExample()
        .addInt64List("doc_lengths", new int[] {5, 3, 99}, 2)
        .addInt64List("input_ids", new int[] {1, 127, 128, 300, 70000, Integer.MAX_VALUE, -1, 2}, 8)
        .toByteArray();
    assertThat(java.util.HexFormat.of().formatHex(bytes), equalTo(expected));
  }

  @Test
  void independentParserReadsFeaturesBack() {
    int[] ids = new int[1000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i * 37;
    }
    byte[] bytes =
        new TfExample().addInt64List("input_ids", ids, 1000).addInt64List("doc_lengths", new int[] {600, 400}, 2)
            .toByteArray();
    Map<String, long[]> parsed = TokenShardReader.parseExample(bytes);
    assertThat(parsed.keySet().toString(), equalTo("[input_ids, doc_lengths]"));
    assertThat(parsed.get("input_ids")[999], equalTo(999L * 37));
    assertThat(parsed.get("input_ids").length, equalTo(1000));
    assertThat(parsed.get("doc_lengths"), equalTo(new long[] {600, 400}));
  }
}
