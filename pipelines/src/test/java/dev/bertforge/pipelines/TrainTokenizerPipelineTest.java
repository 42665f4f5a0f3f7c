package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.TrainTokenizerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./bertforge train-tokenizer end to end on the HF fixture corpus (made by transforms' make_tokenizer_fixtures.py). */
class TrainTokenizerPipelineTest {
  private static final Path FIXTURES = Path.of("../transforms/src/test/resources/dev/bertforge/transforms/tokenizer");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void trainsHuggingFacesTokenizerFromJsonl() throws IOException {
    Path out = dir.resolve("tokenizer");
    run(new String[] {
        "--input=" + FIXTURES.resolve("corpus-licenses.jsonl"), "--output=" + out, "--vocabSize=1024",
        "--heldOutFraction=0", "--wordTableShards=4"});

    JsonNode hf = JSON.readTree(FIXTURES.resolve("hf-licenses.json").toFile());
    JsonNode model = JSON.readTree(out.resolve("tokenizer.json").toFile()).get("model");
    List<String> vocab = new ArrayList<>();
    model.get("vocab").fieldNames().forEachRemaining(vocab::add);
    assertThat(vocab, equalTo(strings(hf.get("vocab"))));
    assertThat(strings(model.get("merges")), equalTo(strings(hf.get("merges"))));
    for (String file : List.of("tokenizer_config.json", "special_tokens_map.json", "report.json")) {
      assertThat(file, Files.exists(out.resolve(file)), equalTo(true));
    }
  }

  @Test
  void stopsBeforeAnyWorkOnAnEmptyCorpus() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.jsonl"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(
        new String[] {"--input=" + empty, "--output=" + dir.resolve("out")}));
    assertThat(e.getMessage(), containsString("the corpus is empty"));
    assertThat(Files.exists(dir.resolve("out")), equalTo(false));
  }

  @Test
  void stopsBeforeAnyWorkOnAVocabTooSmall() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(
        new String[] {"--input=" + FIXTURES.resolve("corpus-licenses.jsonl"), "--output=" + dir.resolve("out"),
            "--vocabSize=100"}));
    assertThat(e.getMessage(), containsString("--vocabSize=100 is too small"));
    assertThat(Files.exists(dir.resolve("out")), equalTo(false));
  }

  private static JsonNode run(String[] args) throws IOException {
    return TrainTokenizerPipeline.run(PipelineOptionsFactory.fromArgs(args).withValidation().as(TrainTokenizerOptions.class));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
