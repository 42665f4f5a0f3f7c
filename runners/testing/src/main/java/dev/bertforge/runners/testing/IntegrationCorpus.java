package dev.bertforge.runners.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code IntegrationCorpus SOURCE_DIR OUT.jsonl [ROUNDS]}: a deterministic JSONL corpus ({@code id}, {@code text})
 * for the runner integration test, made of real text (the source and documentation files under SOURCE_DIR) with
 * the duplicates a dedup must find: every third file again verbatim, every fourth with a few words changed. ROUNDS
 * repeats the whole with different edits, to make a job long enough to lose a TaskManager in the middle of it.
 */
public final class IntegrationCorpus {

  private static final List<String> EXTENSIONS = List.of(".java", ".md", ".sh", ".xml", ".py", ".yaml");
  private static final long MAX_FILE_BYTES = 200_000;

  private IntegrationCorpus() {}

  public static void main(String[] args) throws IOException {
    Path source = Paths.get(args[0]);
    Path out = Paths.get(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    List<Path> files = sourceFiles(source);
    long documents = 0;
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int round = 0; round < rounds; round++) {
        Random random = new Random(round);
        for (int i = 0; i < files.size(); i++) {
          String text = Files.readString(files.get(i), StandardCharsets.UTF_8);
          String id = "r" + round + "-" + source.relativize(files.get(i));
          // a round after the first is a fresh edit of every file, so it is a near duplicate, not a copy
          String base = round == 0 ? text : changeWords(text, random, 1 + round);
          documents += write(writer, id, base);
          if (i % 3 == 0) {
            documents += write(writer, id + "#copy", base);
          }
          if (i % 4 == 0) {
            documents += write(writer, id + "#edit", changeWords(base, random, 3));
          }
        }
      }
    }
    System.out.println(documents + " documents from " + files.size() + " files, " + Files.size(out) + " bytes: " + out);
  }

  private static List<Path> sourceFiles(Path source) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> EXTENSIONS.stream().anyMatch(ext -> f.toString().endsWith(ext)))
          .filter(f -> !source.relativize(f).toString().startsWith("."))
          .filter(f -> !f.toString().contains("/target/"))
          .filter(f -> sizeOf(f) > 200 && sizeOf(f) < MAX_FILE_BYTES)
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The text with {@code edits} whitespace-separated words replaced by a marker word. */
  private static String changeWords(String text, Random random, int edits) {
    StringBuilder changed = new StringBuilder(text);
    for (int edit = 0; edit < edits; edit++) {
      int at = random.nextInt(changed.length());
      int start = changed.lastIndexOf(" ", at) + 1;
      int end = changed.indexOf(" ", at);
      if (end < 0) {
        end = changed.length();
      }
      changed.replace(start, Math.max(start, end), "edited" + random.nextInt(1000));
    }
    return changed.toString();
  }

  private static int write(BufferedWriter writer, String id, String text) throws IOException {
    writer.write("{\"id\":" + jsonString(id) + ",\"text\":" + jsonString(text) + "}\n");
    return 1;
  }

  static String jsonString(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"': json.append("\\\""); break;
        case '\\': json.append("\\\\"); break;
        case '\n': json.append("\\n"); break;
        case '\r': json.append("\\r"); break;
        case '\t': json.append("\\t"); break;
        default:
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
      }
    }
    return json.append('"').toString();
  }
}
