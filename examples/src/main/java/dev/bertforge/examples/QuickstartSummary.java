package dev.bertforge.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.trainer.train.MetricsLog;
import dev.bertforge.trainer.train.StageTrainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the quickstart did, step by step, read back from the files each step wrote (dedup stats, tokenizer.json,
 * shard manifests, metrics.jsonl, the export's config.json), so that the summary shows what is on disk.
 */
final class QuickstartSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path out;
  private final List<String> steps = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private List<String> lastStepLines = new ArrayList<>();
  private double totalSeconds;

  QuickstartSummary(Path out) {
    this.out = out;
  }

  int stepsDone() {
    return steps.size();
  }

  void stepDone(String title, double seconds) {
    steps.add(String.format(Locale.ROOT, "  %-58s %8s", title, duration(seconds)));
    totalSeconds += seconds;
  }

  String lastStepLines() {
    return String.join("\n", lastStepLines);
  }

  void prepared(Path prepared) throws IOException {
    JsonNode dedup = read(prepared.resolve("dedup/stats.json"));
    JsonNode tokenizer = read(prepared.resolve("tokenizer/tokenizer.json"));
    JsonNode manifest = read(prepared.resolve("shards/manifest.json"));
    JsonNode train = manifest.get("totals");
    JsonNode validation = read(prepared.resolve("shards/validation/manifest.json")).get("totals");
    long documents = train.get("documents").asLong() + validation.get("documents").asLong();
    long tokens = train.get("tokens").asLong() + validation.get("tokens").asLong();
    long keptBytes = jsonlTextBytes(prepared.resolve("dedup/kept"));
    add(String.format(Locale.ROOT, "dedup      %,d documents in: %,d kept, %,d exact and %,d near duplicates removed, "
            + "%,d rejected  (%s)", dedup.get("documents_in").asLong(), dedup.get("kept").asLong(),
        dedup.get("removed_exact").asLong(), dedup.get("removed_near").asLong(), dedup.get("rejected").asLong(),
        relative(prepared.resolve("dedup"))));
    String bytesPerToken = keptBytes < 0 ? ""
        : String.format(Locale.ROOT, ", %.2f bytes per token on the kept documents",
            keptBytes / (double) (tokens - 2 * documents)); // [CLS] and [SEP] of each document are no text
    add(String.format(Locale.ROOT, "tokenizer  byte-level BPE, vocabulary %,d%s  (%s)", vocabularySize(tokenizer),
        bytesPerToken, relative(prepared.resolve("tokenizer/tokenizer.json"))));
    add(String.format(Locale.ROOT, "shards     train %,d rows, %,d tokens (%.1f%% of %d-token rows filled); "
            + "validation %,d rows, %,d tokens  (%s)", train.get("rows").asLong(), train.get("tokens").asLong(),
        100 * train.get("fill_ratio").asDouble(), manifest.get("max_seq_len").asInt(),
        validation.get("rows").asLong(), validation.get("tokens").asLong(), relative(prepared.resolve("shards"))));
  }

  void trained(String stage, StageTrainer.Result result) throws IOException {
    Path dir = result.lastCheckpoint().getParent();
    Double firstLoss = null;
    Double accuracy = null;
    try (BufferedReader reader = Files.newBufferedReader(dir.resolve(MetricsLog.FILE_NAME))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode record = JSON.readTree(line);
        if (firstLoss == null && record.path("type").asText().equals("train")) {
          firstLoss = record.get("loss").asDouble();
        } else if (record.path("type").asText().equals("eval")) {
          accuracy = record.get("accuracy").asDouble();
        }
      }
    }
    add(String.format(Locale.ROOT, "%-10s %,d steps, %,d tokens at %,.0f tokens/s; training loss %.3f -> %.3f, "
            + "validation loss %s%s  (%s)", stage.replace("context_extension", "extension"), result.steps(), result.tokens(), result.tokensPerSecond(),
        firstLoss == null ? Double.NaN : firstLoss, result.lastLoss(),
        result.validationLoss() == null ? "-" : String.format(Locale.ROOT, "%.3f", result.validationLoss()),
        accuracy == null ? "" : String.format(Locale.ROOT, ", masked-token accuracy %.1f%%", 100 * accuracy),
        relative(dir)));
  }

  void exported(Path model) throws IOException {
    JsonNode config = read(model.resolve("config.json"));
    add(String.format(Locale.ROOT, "model      ModernBertForMaskedLM, %d layers x %d hidden, vocabulary %,d  (%s)",
        config.get("num_hidden_layers").asInt(), config.get("hidden_size").asInt(),
        config.get("vocab_size").asInt(), relative(model)));
    add("           python: from transformers import AutoModelForMaskedLM, AutoTokenizer");
    add("                   AutoModelForMaskedLM.from_pretrained(\"" + model + "\")");
    add("                   AutoTokenizer.from_pretrained(\"" + model + "\")");
  }

  void filledMask(String text, String table) {
    add("fill-mask  " + text);
    for (String line : table.split("\n")) {
      add("           " + line);
    }
  }

  String text() {
    List<String> all = new ArrayList<>();
    all.add(String.format(Locale.ROOT, "bertforge quickstart finished in %s; everything is in %s",
        duration(totalSeconds), out));
    all.addAll(steps);
    all.add("");
    all.addAll(lines);
    return String.join("\n", all);
  }

  void write(Path file) throws IOException {
    Files.writeString(file, text() + "\n", StandardCharsets.UTF_8);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  void beginStep() {
    lastStepLines = new ArrayList<>();
  }

  private void add(String line) {
    lastStepLines.add(line);
    lines.add(line);
  }

  private String relative(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    return out.relativize(absolute) + (Files.isDirectory(absolute) ? "/" : "");
  }

  private static JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  /** Entries of {@code model.vocab} plus added tokens outside it: the ids the tokenizer can produce. */
  static int vocabularySize(JsonNode tokenizer) {
    JsonNode vocab = tokenizer.path("model").path("vocab");
    int size = vocab.size();
    for (JsonNode added : tokenizer.path("added_tokens")) {
      if (!vocab.has(added.get("content").asText())) {
        size++;
      }
    }
    return size;
  }

  /** UTF-8 bytes of the {@code text} fields of the kept documents, or -1 when they are not plain JSONL. */
  private static long jsonlTextBytes(Path keptDir) throws IOException {
    long bytes = 0;
    try (Stream<Path> files = Files.walk(keptDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().endsWith(".jsonl")) {
          return -1;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (!line.isBlank()) {
              bytes += JSON.readTree(line).get("text").asText().getBytes(StandardCharsets.UTF_8).length;
            }
          }
        }
      }
    }
    return bytes;
  }
}
