package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.PrepareOptions;
import dev.bertforge.transforms.shards.BatchEncoder;
import dev.bertforge.transforms.shards.TokenShardReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparePipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DOCS =
      Path.of("../transforms/src/test/resources/shards/docs.jsonl").toAbsolutePath().normalize();

  @TempDir Path temp;

  @Test
  void dedupTokenizerAndShardsFromOnePipeline() throws Exception {
    Path out = temp.resolve("out");
    PipelineOptionsFactory.register(PrepareOptions.class);
    PrepareOptions options = PipelineOptionsFactory.fromArgs("--input=" + DOCS, "--idField=id", "--output=" + out,
        "--vocabSize=300", "--heldOutFraction=0", "--mode=split", "--maxSeqLen=64", "--validationFraction=0")
        .withValidation().as(PrepareOptions.class);
    PreparePipeline.run(options);

    JsonNode stats = JSON.readTree(out.resolve("dedup/stats.json").toFile());
    byte[] tokenizer = Files.readAllBytes(out.resolve("tokenizer/tokenizer.json"));
    JsonNode manifest = JSON.readTree(out.resolve("shards/manifest.json").toFile());
    assertThat(manifest.get("tokenizer_sha256").asText(),
        equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tokenizer))));
    assertThat(manifest.get("vocab_size").asInt(), equalTo(300));
    assertThat(manifest.get("totals").get("documents").asLong(), equalTo(stats.get("kept").asLong()));

    // the rows hold the kept documents as the Rust tokenizer encodes them with the tokenizer just trained
    List<String> kept = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("dedup/kept"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(file)) {
          kept.add(JSON.readTree(line).get("text").asText());
        }
      }
    }
    List<String> expected = new ArrayList<>();
    try (BatchEncoder rust = BatchEncoder.fromJson(tokenizer)) {
      for (int[] ids : rust.encode(kept.toArray(String[]::new))) {
        for (int from = 1; from < ids.length - 1; from += 62) { // split mode: 62 content tokens per window
          int[] window = new int[Math.min(ids.length - 1, from + 62) - from + 2];
          window[0] = ids[0];
          System.arraycopy(ids, from, window, 1, window.length - 2);
          window[window.length - 1] = ids[ids.length - 1];
          expected.add(Arrays.toString(window));
        }
      }
    }
    List<String> rows = new ArrayList<>();
    for (JsonNode shard : manifest.get("shards")) {
      for (Map<String, long[]> row : TokenShardReader.read(out.resolve("shards").resolve(shard.get("file").asText()))) {
        rows.add(Arrays.toString(Arrays.stream(row.get("input_ids")).mapToInt(Math::toIntExact).toArray()));
      }
    }
    assertThat(rows.stream().sorted().toList(), equalTo(expected.stream().sorted().toList()));
  }
}
