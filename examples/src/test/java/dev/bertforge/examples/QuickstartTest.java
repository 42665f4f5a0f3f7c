package dev.bertforge.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.trainer.cli.CliArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The quickstart's chain end to end on a slice of the sample corpus with tiny budgets: every artefact is written
 * and they agree with one another (the shards' manifest, the tokenizer, the checkpoints and the export).
 */
class QuickstartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Kept under target/ so that CI's Python step can load the export with transformers. */
  private static final Path OUT = Path.of("target/quickstart-e2e").toAbsolutePath();

  @Test
  void runsEveryStepAndItsOutputsAgree() throws Exception {
    Path home = Path.of("..").toAbsolutePath().normalize();
    Path slice = Files.createDirectories(Path.of("target")).resolve("quickstart-e2e-input.jsonl");
    List<String> lines = Files.readAllLines(home.resolve("examples/data/sample/python-docs.jsonl"));
    List<String> sliceLines = new java.util.ArrayList<>(lines.subList(0, 400));
    sliceLines.add(lines.get(3)); // an exact duplicate that dedup must remove
    Files.write(slice, sliceLines);
    Quickstart.Settings settings = new Quickstart.Settings(home, slice.toString(), OUT, 1024, "12K", "8K", "8K",
        Quickstart.DEFAULT_TEXT, List.of("batch.size=8", "batch.micro_size=8", "batch.warmup_tokens=0", "batch.warmup_min_size=8",
            "eval.max_tokens=4K"));
    if (Files.exists(OUT.resolve(Quickstart.MARKER_FILE))) {
      Files.writeString(OUT.resolve("stale-file"), "from an earlier run: the quickstart replaces its own output");
    }

    QuickstartSummary summary = Quickstart.run(settings);

    assertTrue(Files.notExists(OUT.resolve("stale-file")));
    String text = Files.readString(OUT.resolve(Quickstart.SUMMARY_FILE));
    assertEquals(summary.text() + "\n", text);
    assertThat(text, containsString("401 documents in: 400 kept, 1 exact"));

    JsonNode stats = read(OUT.resolve("prepared/dedup/stats.json"));
    assertEquals(401, stats.get("documents_in").asLong());
    assertEquals(stats.get("documents_in").asLong(), stats.get("kept").asLong() + stats.get("removed_exact").asLong()
        + stats.get("removed_near").asLong() + stats.get("rejected").asLong());

    Path tokenizer = OUT.resolve("prepared/tokenizer/tokenizer.json");
    JsonNode manifest = read(OUT.resolve("prepared/shards/manifest.json"));
    JsonNode validation = read(OUT.resolve("prepared/shards/validation/manifest.json"));
    assertEquals(sha256(tokenizer), manifest.get("tokenizer_sha256").asText());
    assertEquals(sha256(tokenizer), validation.get("tokenizer_sha256").asText());
    assertEquals(stats.get("kept").asLong(),
        manifest.at("/totals/documents").asLong() + validation.at("/totals/documents").asLong(),
        "every kept document is in the train or the validation shards");
    int vocabulary = QuickstartSummary.vocabularySize(read(tokenizer));
    assertEquals(vocabulary, manifest.get("vocab_size").asInt());
    long shardFiles;
    try (Stream<Path> files = Files.list(OUT.resolve("prepared/shards"))) {
      shardFiles = files.filter(p -> p.getFileName().toString().endsWith(".tfrecord")).count();
    }
    assertEquals(manifest.at("/totals/shards").asLong(), shardFiles);

    for (String stage : List.of("pretrain", "context_extension", "decay")) {
      Path dir = OUT.resolve("train").resolve(stage);
      assertTrue(Files.exists(dir.resolve("metrics.jsonl")), stage + " wrote metrics");
      try (Stream<Path> checkpoints = Files.list(dir)) {
        assertEquals(1, checkpoints.filter(p -> p.getFileName().toString().startsWith("step-")).count(),
            stage + " keeps its last checkpoint");
      }
    }

    Path model = OUT.resolve("model");
    JsonNode config = read(model.resolve("config.json"));
    assertEquals(sha256(tokenizer), sha256(model.resolve("tokenizer.json")), "the export carries the shards' tokenizer");
    assertThat(config.get("vocab_size").asInt(), greaterThanOrEqualTo(vocabulary));
    assertEquals("ModernBertForMaskedLM", config.get("architectures").get(0).asText());
    assertEquals(manifest.at("/special_ids/cls").asInt(), config.get("cls_token_id").asInt());
    assertEquals(manifest.at("/special_ids/sep").asInt(), config.get("sep_token_id").asInt());
    assertThat(config.get("max_position_embeddings").asInt(), greaterThanOrEqualTo(1024));
    assertThat(Files.size(model.resolve("model.safetensors")), greaterThan(1_000_000L));

    // the demo's sentence is in the corpus; five predictions follow it
    assertThat(String.join("\n", lines), containsString(Quickstart.DEFAULT_TEXT.replace("[MASK]", "logging")));
    String fill = text.substring(text.indexOf("fill-mask  "));
    assertEquals(5, fill.lines().filter(l -> l.matches("\\s+\\d\\. .*\\(id \\d+\\)")).count(), fill);
    assertThat(text.lines().filter(l -> l.startsWith("  ")).count(), lessThanOrEqualTo(20L));
  }

  @Test
  void refusesADirectoryThatIsNotAQuickstartOutput(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("thesis.tex"), "precious");
    CliArgs.UsageException e = assertThrows(CliArgs.UsageException.class,
        () -> OutputDirectory.claim(tmp, Quickstart.MARKER_FILE));
    assertThat(e.getMessage(), containsString("not a quickstart's output"));
    assertTrue(Files.exists(tmp.resolve("thesis.tex")));
  }

  private static JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
