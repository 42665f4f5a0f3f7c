package dev.bertforge.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.PrepareOptions;
import dev.bertforge.transforms.io.BadInputException;
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
  private static final Path SHARD_FIXTURES =
      Path.of("../transforms/src/test/resources/shards").toAbsolutePath().normalize();

  @TempDir Path temp;

  @Test
  void removesPlantedDuplicatesTrainsATokenizerAndShardsWhatIsLeft() throws Exception {
    // the 38 distinct fixture documents (and 2 blank lines), an exact and a near copy of two of them, a blank and a broken record
    List<String> lines = new ArrayList<>(Files.readAllLines(SHARD_FIXTURES.resolve("docs.jsonl")));
    String first = JSON.readTree(lines.get(0)).get("text").asText();
    String second = JSON.readTree(lines.get(1)).get("text").asText();
    lines.add(JSON.createObjectNode().put("id", "zz-exact-copy").put("text", first).toString());
    lines.add(JSON.createObjectNode().put("id", "zz-near-copy").put("text", second + " One more sentence.").toString());
    lines.add("{\"id\": \"zz-blank\", \"text\": \"  \"}");
    lines.add("{\"id\": \"zz-broken\", \"text\": ");
    Path input = temp.resolve("docs.jsonl");
    Files.write(input, lines);
    Path out = temp.resolve("out");

    PreparePipeline.Counts counts = PreparePipeline.run(options("--input=" + input, "--idField=id",
        "--output=" + out, "--vocabSize=300", "--heldOutFraction=0", "--mode=split", "--maxSeqLen=64",
        "--validationFraction=0"));

    assertThat(counts, equalTo(new PreparePipeline.Counts(40, 38, 2, 38, 0, 38)));
    JsonNode stats = JSON.readTree(out.resolve("dedup/stats.json").toFile());
    assertThat(List.of(stats.get("removed_exact").asLong(), stats.get("removed_near").asLong(),
        stats.get("rejected").asLong(), stats.get("blank").asLong()), equalTo(List.of(1L, 1L, 1L, 3L))); // the
    // fixture has two blank records of its own
    List<JsonNode> kept = keptRecords(out);
    assertThat(kept.size(), equalTo(38));
    assertThat(kept.toString(), not(containsString("zz-")));

    byte[] tokenizer = Files.readAllBytes(out.resolve("tokenizer/tokenizer.json"));
    JsonNode manifest = JSON.readTree(out.resolve("shards/manifest.json").toFile());
    assertThat(manifest.get("tokenizer_sha256").asText(), equalTo(sha256(tokenizer)));
    assertThat(manifest.get("vocab_size").asInt(), equalTo(300));
    assertThat(segmentsInShards(out.resolve("shards"), manifest), equalTo(expectedSegments(tokenizer, kept, 64)));
  }

  @Test
  void aBaseTokenizerIsAdoptedInsteadOfTrainedAndPacksTheKeptDocuments() throws Exception {
    Path out = temp.resolve("out");
    PreparePipeline.Counts counts = PreparePipeline.run(options("--input=" + SHARD_FIXTURES.resolve("docs.jsonl"),
        "--idField=id", "--output=" + out, "--baseTokenizer=" + SHARD_FIXTURES.resolve("tokenizer"),
        "--heldOutFraction=0", "--maxSeqLen=128", "--validationFraction=0.2"));

    assertThat(counts.tokenized(), equalTo(38L));
    assertThat(JSON.readTree(out.resolve("tokenizer/report.json").toFile()).get("mode").asText(),
        equalTo("adopted"));
    byte[] tokenizer = Files.readAllBytes(out.resolve("tokenizer/tokenizer.json"));
    JsonNode manifest = JSON.readTree(out.resolve("shards/manifest.json").toFile());
    JsonNode validation = JSON.readTree(out.resolve("shards/validation/manifest.json").toFile());
    assertThat(manifest.get("tokenizer_sha256").asText(), equalTo(sha256(tokenizer)));
    assertThat(manifest.get("mode").asText(), equalTo("pack"));
    assertThat(manifest.get("totals").get("documents").asLong() + validation.get("totals").get("documents").asLong(),
        equalTo(38L));

    List<String> segments = new ArrayList<>(segmentsInShards(out.resolve("shards"), manifest));
    segments.addAll(segmentsInShards(out.resolve("shards/validation"), validation));
    // the base tokenizer itself (not only its adopted copy) encodes the kept documents into these segments
    byte[] base = Files.readAllBytes(SHARD_FIXTURES.resolve("tokenizer/tokenizer.json"));
    assertThat(segments.stream().sorted().toList(), equalTo(expectedSegments(base, keptRecords(out), 128)));
  }

  @Test
  void aMissingBaseTokenizerStopsTheRunBeforeAnyWork() {
    Path out = temp.resolve("out");
    BadInputException e = assertThrows(BadInputException.class, () -> PreparePipeline.run(
        options("--input=" + SHARD_FIXTURES.resolve("docs.jsonl"), "--output=" + out,
            "--baseTokenizer=" + temp.resolve("nowhere"))));
    assertThat(e.getMessage(), containsString("--baseTokenizer=" + temp.resolve("nowhere")));
    assertThat(Files.exists(out.resolve("dedup")), equalTo(false));
  }

  private static PrepareOptions options(String... args) {
    PipelineOptionsFactory.register(PrepareOptions.class);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(PrepareOptions.class);
  }

  private static List<JsonNode> keptRecords(Path out) throws Exception {
    List<JsonNode> kept = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("dedup/kept"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(file)) {
          kept.add(JSON.readTree(line));
        }
      }
    }
    return kept;
  }

  /** Every document's ids from the Rust tokenizer, cut into windows of at most maxSeqLen, each in [CLS] … [SEP]. */
  private static List<String> expectedSegments(byte[] tokenizer, List<JsonNode> documents, int maxSeqLen)
      throws Exception {
    List<String> expected = new ArrayList<>();
    try (BatchEncoder rust = BatchEncoder.fromJson(tokenizer)) {
      for (int[] ids : rust.encode(documents.stream().map(d -> d.get("text").asText()).toArray(String[]::new))) {
        int content = maxSeqLen - 2;
        for (int from = 1; from < ids.length - 1; from += content) {
          int[] window = new int[Math.min(ids.length - 1, from + content) - from + 2];
          window[0] = ids[0];
          System.arraycopy(ids, from, window, 1, window.length - 2);
          window[window.length - 1] = ids[ids.length - 1];
          expected.add(Arrays.toString(window));
        }
      }
    }
    return expected.stream().sorted().toList();
  }

  /**
   * The rows of a shard set cut at their doc_lengths, read back with the independent TokenShardReader; checks on the
   * way that the manifest's lines count what each shard holds and its totals are their sums.
   */
  private static List<String> segmentsInShards(Path directory, JsonNode manifest) throws Exception {
    List<String> segments = new ArrayList<>();
    long totalRows = 0, totalTokens = 0;
    for (JsonNode shard : manifest.get("shards")) {
      List<Map<String, long[]>> rows = TokenShardReader.read(directory.resolve(shard.get("file").asText()));
      long tokens = rows.stream().mapToLong(row -> row.get("input_ids").length).sum();
      assertThat(List.of((long) rows.size(), tokens),
          equalTo(List.of(shard.get("rows").asLong(), shard.get("tokens").asLong())));
      totalRows += rows.size();
      totalTokens += tokens;
      for (Map<String, long[]> row : rows) {
        long[] ids = row.get("input_ids");
        int from = 0;
        for (long length : row.get("doc_lengths")) {
          segments.add(Arrays.toString(
              Arrays.stream(ids, from, from + (int) length).mapToInt(Math::toIntExact).toArray()));
          from += (int) length;
        }
        assertThat(from, equalTo(ids.length));
      }
    }
    JsonNode totals = manifest.get("totals");
    assertThat(List.of(totalRows, totalTokens), equalTo(List.of(totals.get("rows").asLong(),
        totals.get("tokens").asLong())));
    return segments.stream().sorted().toList();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
