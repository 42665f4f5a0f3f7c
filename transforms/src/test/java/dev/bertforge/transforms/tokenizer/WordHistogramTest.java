package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordHistogramTest {
  @Test
  void cutoffKeepsTheMostFrequentWholeCountGroupsAndTotalsAddUp() {
    Random random = new Random(5);
    for (int trial = 0; trial < 50; trial++) {
      Map<String, Long> counts = new LinkedHashMap<>();
      for (int w = 0; w < 1 + random.nextInt(200); w++) {
        counts.put("w" + w + "é".repeat(random.nextInt(3)), 1L + random.nextInt(1 + random.nextInt(30)));
      }
      WordTable table = new WordTable();
      counts.forEach(table::add);
      WordHistogram histogram = WordHistogram.combineFn().addInput(new WordHistogram(), table);
      long minWordCount = random.nextInt(4);
      long maxWords = random.nextInt(3) == 0 ? 0 : random.nextInt(150);

      long cutoff = histogram.cutoff(minWordCount, maxWords);

      // brute force: the lowest cut c >= minWordCount at which at most maxWords words remain
      long expected = Math.max(1, minWordCount);
      while (maxWords > 0 && countAtLeast(counts, expected) > maxWords) {
        expected++;
      }
      assertThat("trial " + trial, countAtLeast(counts, cutoff), equalTo(countAtLeast(counts, expected)));
      if (maxWords > 0) {
        assertThat(countAtLeast(counts, cutoff), lessThanOrEqualTo(maxWords));
      }
      WordHistogram.Totals pruned = histogram.below(cutoff);
      assertThat(pruned.words(), equalTo(counts.values().stream().filter(v -> v < cutoff).count()));
      assertThat(pruned.bytes(), equalTo(counts.entrySet().stream().filter(e -> e.getValue() < cutoff)
          .mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length * e.getValue()).sum()));
      assertThat(histogram.totals().occurrences(), equalTo(counts.values().stream().mapToLong(v -> v).sum()));
    }
  }

  @Test
  void measuresUtf8LengthWithoutEncoding() {
    for (String s : List.of("", "abc", "é", "中文", "😀x", "a\u0300")) {
      assertThat(s, WordHistogram.utf8Length(s), equalTo(s.getBytes(StandardCharsets.UTF_8).length));
    }
  }

  private static long countAtLeast(Map<String, Long> counts, long cut) {
    return counts.values().stream().filter(v -> v >= cut).count();
  }
}
