package dev.bertforge.runners.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The reference for {@link WordCountCheck}: the same counts made in plain Java, and its output read back. */
public final class WordCounts {

  private WordCounts() {}

  /** Counts of the whitespace-separated words of a text file. */
  public static Map<String, Long> countWords(Path textFile) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : Files.readAllLines(textFile, StandardCharsets.UTF_8)) {
      for (String word : line.split("\\s+")) {
        if (!word.isEmpty()) {
          counts.merge(word, 1L, Long::sum);
        }
      }
    }
    return counts;
  }

  /** The word&lt;TAB&gt;count lines of every {@code .tsv} shard under {@code folder}; fails on a word seen twice. */
  public static Map<String, Long> readOutput(Path folder) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    List<Path> shards;
    try (Stream<Path> files = Files.list(folder)) {
      shards = files.filter(f -> f.toString().endsWith(".tsv")).sorted().collect(Collectors.toList());
    }
    if (shards.isEmpty()) {
      throw new AssertionError("no .tsv shards in " + folder);
    }
    for (Path shard : shards) {
      for (String line : Files.readAllLines(shard, StandardCharsets.UTF_8)) {
        int tab = line.lastIndexOf('\t');
        Long previous = counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
        if (previous != null) {
          throw new AssertionError("word written twice: '" + line.substring(0, tab) + "' in " + shard);
        }
      }
    }
    return counts;
  }
}
