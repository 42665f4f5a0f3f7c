package dev.bertforge.trainer.train;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.trainer.data.DataPosition;
import dev.bertforge.trainer.data.MixedRows;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.data.TokenRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on several shard sets in set proportions: the rows drawn, a whole stage, resume and refusals. */
class MixtureTest {
  @TempDir Path tmp;

  @Test
  void rowsFollowTheWeightsWithinOneRowAndAResumedMixtureContinuesExactly() throws IOException {
    // the sources are told apart by their row lengths: 16 tokens (large) and 24 (small, upsampled)
    ShardSet large = ShardSet.open(TestShards.write(tmp.resolve("large"), 64, 100, 16, 1).toString());
    ShardSet small = ShardSet.open(TestShards.write(tmp.resolve("small"), 64, 30, 24, 2).toString());
    List<MixedRows.Source> sources = List.of(new MixedRows.Source("large", large, 3),
        new MixedRows.Source("small", small, 1));
    List<int[]> drawn = new ArrayList<>();
    DataPosition at777 = null;
    long largeTokens = 0;
    long total = 0;
    try (MixedRows rows = new MixedRows(sources, 11, 1 << 20, 64, 64, DataPosition.START)) {
      for (int i = 0; i < 2000; i++) {
        if (i == 777) {
          at777 = rows.position();
        }
        TokenRow row = rows.next();
        drawn.add(row.inputIds());
        largeTokens += row.length() == 16 ? row.length() : 0;
        total += row.length();
        assertTrue(Math.abs(largeTokens - 0.75 * total) <= 24, "row " + i + ": " + largeTokens + " of " + total);
      }
      DataPosition end = rows.position();
      assertEquals(largeTokens, end.sources().get(0).tokens());
      assertEquals(total - largeTokens, end.sources().get(1).tokens());
      assertTrue(end.sources().get(1).position().epoch() >= 10, "the small source is repeated: " + end);
    }
    // through JSON, as a checkpoint stores it
    ObjectMapper json = new ObjectMapper();
    DataPosition restored = json.readValue(json.writeValueAsString(at777), DataPosition.class);
    assertEquals(at777, restored);
    try (MixedRows resumed = new MixedRows(sources, 11, 1 << 20, 64, 64, restored)) {
      for (int i = 777; i < 1100; i++) {
        assertArrayEquals(drawn.get(i), resumed.next().inputIds(), "row " + i);
      }
    }
    IllegalArgumentException renamed = assertThrows(IllegalArgumentException.class, () -> new MixedRows(
        List.of(sources.get(0), new MixedRows.Source("docs", small, 1)), 11, 1 << 20, 64, 64, restored));
    assertThat(renamed.getMessage(), containsString("for the sources [large, small], but data.train lists "
        + "[large, docs]"));
  }

  @Test
  void aStageOnAMixtureCountsTokensPerSourceAndResumesExactly() throws Exception {
    Path straight = tmp.resolve("straight");
    new StageTrainer(config(straight, List.of()), false).run();
    Path interrupted = tmp.resolve("interrupted");
    new StageTrainer(config(interrupted, List.of("budget.steps=20")), false).run();
    new StageTrainer(config(interrupted, List.of()), true).run();

    List<JsonNode> expected = records(straight, "train");
    List<JsonNode> actual = records(interrupted, "train");
    assertEquals(30, actual.size());
    for (int i = 20; i < 30; i++) {
      assertEquals(expected.get(i).get("loss").asDouble(), actual.get(i).get("loss").asDouble(), 0.0, "step " + i);
      assertEquals(expected.get(i).get("source_tokens"), actual.get(i).get("source_tokens"), "step " + i);
    }
    long plainTokens = ShardSet.open(fixture("plain").toString()).tokens();
    long gzipTokens = ShardSet.open(fixture("gzip").toString()).tokens();
    for (JsonNode record : actual) {
      JsonNode sources = record.get("source_tokens");
      long plain = sources.get("plain").asLong();
      long gzip = sources.get("gzip").asLong();
      assertEquals(record.get("tokens").asLong(), plain + gzip, "every trained token is counted in one source");
      assertEquals((double) gzip / gzipTokens, record.get("source_epochs").get("gzip").asDouble(), 1e-12);
      assertEquals((double) plain / plainTokens, record.get("source_epochs").get("plain").asDouble(), 1e-12);
    }
    JsonNode last = actual.get(29).get("source_tokens");
    double share = last.get("plain").asDouble() / (last.get("plain").asDouble() + last.get("gzip").asDouble());
    assertEquals(0.7, share, 0.01, "realised share of the 0.7 source: " + last);

    List<JsonNode> evals = records(interrupted, "eval");
    JsonNode bySource = evals.get(evals.size() - 1).get("sources");
    assertEquals(List.of("held-out", "again"), fieldNames(bySource));
    long evalTokens = bySource.get("held-out").get("eval_tokens").asLong()
        + bySource.get("again").get("eval_tokens").asLong();
    assertEquals(evals.get(evals.size() - 1).get("eval_tokens").asLong(), evalTokens);

    IOException changed = assertThrows(IOException.class, () -> new StageTrainer(config(interrupted,
        List.of("budget.steps=40", "data.train=[{name: plain, path: " + fixture("plain") + ", weight: 1}]")), true)
        .run());
    assertThat(changed.getMessage(), containsString("resume with the mixture it was started with"));
  }

  @Test
  void aSourceOfAnotherTokenizerIsRefusedNamingIt() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other-tokenizer"));
    for (String file : List.of("tokens-00000-of-00002.tfrecord", "tokens-00001-of-00002.tfrecord")) {
      Files.copy(fixture("plain").resolve(file), other.resolve(file));
    }
    Files.writeString(other.resolve("manifest.json"), Files.readString(fixture("plain").resolve("manifest.json"))
        .replaceFirst("\"tokenizer_sha256\": \"[0-9a-f]+\"", "\"tokenizer_sha256\": \"0123\""));
    IOException e = assertThrows(IOException.class, () -> new StageTrainer(config(tmp.resolve("run"),
        List.of("data.train=[{name: plain, path: " + fixture("plain") + ", weight: 1}, {name: docs, path: " + other
            + ", weight: 1}]")), false).run());
    assertThat(e.getMessage(), containsString("the training source 'docs' (" + other + ") comes from another "
        + "tokenizer than the training source 'plain'"));
    assertThat(e.getMessage(), containsString("tokenizer sha256"));
  }

  private static StageConfig config(Path dir, List<String> overrides) throws Exception {
    List<String> all = new ArrayList<>(List.of(
        "data.train=[{name: plain, path: " + fixture("plain") + ", weight: 0.7}, {name: gzip, path: "
            + fixture("gzip") + ", weight: 0.3}]",
        "data.validation=[{name: held-out, path: " + fixture("gzip") + "}, {name: again, path: " + fixture("plain")
            + "}]"));
    all.addAll(overrides);
    return StageConfig.parse(StageTrainerTestConfig.yaml(dir), all);
  }

  private static Path fixture(String kind) throws Exception {
    return Path.of(MixtureTest.class.getResource("/shards/" + kind + "/manifest.json").toURI()).getParent();
  }

  private static List<JsonNode> records(Path dir, String type) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve(MetricsLog.FILE_NAME))) {
      JsonNode record = json.readTree(line);
      if (record.get("type").asText().equals(type)) {
        records.add(record);
      }
    }
    return records;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
