package dev.bertforge.trainer.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our fill-mask predictions against transformers' fill-mask pipeline on the same model and tokenizer. */
class FillMaskTest {

  static final Path PARITY = Path.of("src/test/resources/parity");

  @Test
  void matchesTransformersPipeline(@TempDir Path tmp) throws Exception {
    Path model = exportLikeDirectory(tmp);
    JsonNode expected = new ObjectMapper().readTree(PARITY.resolve("l4_h32/fill_mask.json").toFile());
    try (FillMask fillMask = FillMask.open(model)) {
      for (JsonNode example : expected) {
        List<FillMask.MaskPredictions> ours = fillMask.predict(example.get("text").asText(), 5);
        JsonNode masks = example.get("masks");
        assertThat(ours, hasSize(masks.size()));
        for (int m = 0; m < masks.size(); m++) {
          assertThat(ours.get(m).position(), equalTo(masks.get(m).get("position").asInt()));
          JsonNode theirs = masks.get(m).get("predictions");
          for (int k = 0; k < theirs.size(); k++) {
            FillMask.Candidate c = ours.get(m).predictions().get(k);
            assertThat(c.id(), equalTo(theirs.get(k).get("id").asLong()));
            assertThat(c.token(), equalTo(theirs.get(k).get("token").asText()));
            assertThat(c.score(), closeTo(theirs.get(k).get("score").asDouble(), 1e-5));
          }
        }
      }
      // the JSON form the issue specifies
      String json = FillMaskCommand.toJson(fillMask.predict("the city [MASK] new", 2));
      JsonNode parsed = new ObjectMapper().readTree(json);
      assertThat(parsed.get(0).get("position").asInt(), equalTo(3));
      assertThat(parsed.get(0).get("predictions").get(1).fieldNames().next(), equalTo("token"));
    }
  }

  /** The HF fixture model with the word-level tokenizer beside it, laid out as an export. */
  static Path exportLikeDirectory(Path tmp) throws Exception {
    Path dir = tmp.resolve("model");
    Files.createDirectories(dir);
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(PARITY.resolve("l4_h32").resolve(f), dir.resolve(f));
    }
    Files.copy(PARITY.resolve("tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
    return dir;
  }
}
