package dev.bertforge.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per training step ({@code "type":"train"}) and per evaluation
 * ({@code "type":"eval"}). A resumed run first drops the lines after the step it resumes from, so the file
 * never holds a step twice.
 */
public final class MetricsLog implements Closeable {
  public static final String FILE_NAME = "metrics.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final BufferedWriter out;
  private final List<JsonNode> records = new ArrayList<>();

  private MetricsLog(Path file, List<JsonNode> kept) throws IOException {
    this.file = file;
    this.records.addAll(kept);
    List<String> lines = new ArrayList<>();
    for (JsonNode record : kept) {
      lines.add(JSON.writeValueAsString(record));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** Opens the log in {@code dir}, keeping the records up to {@code lastStep} (0 for a fresh stage). */
  public static MetricsLog open(Path dir, long lastStep) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    List<JsonNode> kept = new ArrayList<>();
    if (lastStep > 0 && Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode record = JSON.readTree(line);
        if (record.path("step").asLong() <= lastStep) {
          kept.add(record);
        }
      }
    }
    return new MetricsLog(file, kept);
  }

  public ObjectNode newRecord(String type, long step) {
    ObjectNode record = JSON.createObjectNode();
    record.put("type", type);
    record.put("step", step);
    return record;
  }

  public void write(ObjectNode record) throws IOException {
    records.add(record);
    out.write(JSON.writeValueAsString(record));
    out.newLine();
    out.flush();
  }

  /** Every record so far, oldest first. */
  public List<JsonNode> records() {
    return records;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
