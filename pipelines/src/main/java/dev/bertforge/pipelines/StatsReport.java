package dev.bertforge.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code stats} found, assembled from the lines its pipeline wrote ({@link StatsPipeline}): printed as a
 * table or saved as {@code stats.json}.
 */
public final class StatsReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  String input = "";
  String format = "";
  long inputFiles;
  long inputBytes;
  double seconds;
  long documents;
  long textBytes;
  long characters;
  long p50 = -1;
  long p90 = -1;
  long p99 = -1;
  long max = -1;
  long blank;
  final Map<String, Long> rejected = new TreeMap<>();
  final List<JsonNode> files = new ArrayList<>();

  public long documents() {
    return documents;
  }

  public long textBytes() {
    return textBytes;
  }

  public long blank() {
    return blank;
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> rejectedByReason() {
    return rejected;
  }

  /** p50, p90, p99 and max of document lengths in characters. */
  public long[] lengthPercentiles() {
    return new long[] {p50, p90, p99, max};
  }

  /** One JSON object per input file: file, documents, rejected, blank, text_bytes. */
  public List<JsonNode> files() {
    return files;
  }

  /** Takes in one line the pipeline wrote. */
  void add(String line) throws IOException {
    JsonNode node = JSON.readTree(line);
    switch (node.get("kind").asText()) {
      case "documents":
        documents = node.get("documents").asLong();
        textBytes = node.get("text_bytes").asLong();
        characters = node.get("characters").asLong();
        p50 = node.get("p50").asLong();
        p90 = node.get("p90").asLong();
        p99 = node.get("p99").asLong();
        max = node.get("max").asLong();
        break;
      case "rejected":
        rejected.put(node.get("reason").asText(), node.get("count").asLong());
        break;
      case "file":
        blank += node.get("blank").asLong();
        ((ObjectNode) node).remove("kind");
        files.add(node);
        break;
      default:
        throw new IOException("unexpected stats line: " + line);
    }
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("input", input).put("format", format).put("input_files", inputFiles).put("input_bytes", inputBytes);
    root.put("documents", documents).put("text_bytes", textBytes).put("characters", characters);
    root.putObject("length_characters").put("p50", p50).put("p90", p90).put("p99", p99).put("max", max);
    root.put("blank", blank).put("rejected", rejectedTotal());
    ObjectNode reasons = root.putObject("rejected_by_reason");
    rejected.forEach(reasons::put);
    root.put("seconds", Math.round(seconds * 10) / 10.0);
    root.put("documents_per_second", Math.round(documents / Math.max(seconds, 1e-9)));
    root.put("input_megabytes_per_second", Math.round(inputBytes / 1e6 / Math.max(seconds, 1e-9) * 10) / 10.0);
    ArrayNode perFile = root.putArray("files");
    sortedFiles().forEach(perFile::add);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<JsonNode> sortedFiles() {
    List<JsonNode> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(f -> f.get("file").asText()));
    return sorted;
  }

  public void print(PrintStream out, boolean perFile) {
    out.printf(Locale.ROOT, "input       %s  (%s, %,d %s, %s)%n",
        input, format, inputFiles, inputFiles == 1 ? "file" : "files", Sizes.bytes(inputBytes));
    out.printf(Locale.ROOT, "documents   %,d%n", documents);
    out.printf(Locale.ROOT, "text        %s (%,d bytes UTF-8), %,d characters%n",
        Sizes.bytes(textBytes), textBytes, characters);
    if (documents > 0) {
      out.printf(Locale.ROOT, "length      p50 %,d · p90 %,d · p99 %,d · max %,d characters%n", p50, p90, p99, max);
    }
    out.printf(Locale.ROOT, "blank       %,d (blank lines, files or texts: not documents)%n", blank);
    out.printf(Locale.ROOT, "rejected    %,d%n", rejectedTotal());
    rejected.forEach((reason, count) -> out.printf(Locale.ROOT, "  %-18s %,d%n", reason, count));
    out.printf(Locale.ROOT, "time        %.1f s: %,.0f docs/s, %.1f MB/s of input%n",
        seconds, documents / Math.max(seconds, 1e-9), inputBytes / 1e6 / Math.max(seconds, 1e-9));
    if (perFile) {
      out.printf(Locale.ROOT, "%n%12s %10s %8s %14s  %s%n", "documents", "rejected", "blank", "text bytes", "file");
      for (JsonNode file : sortedFiles()) {
        out.printf(Locale.ROOT, "%,12d %,10d %,8d %,14d  %s%n",
            file.get("documents").asLong(), file.get("rejected").asLong(), file.get("blank").asLong(),
            file.get("text_bytes").asLong(), file.get("file").asText());
      }
    }
  }
}
