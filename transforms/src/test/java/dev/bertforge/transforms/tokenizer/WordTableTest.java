package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordTableTest {
  @Test
  void countsLikeAHashMapAndSurvivesItsCoderAndSharding() throws IOException {
    Random random = new Random(9);
    Map<String, Long> expected = new HashMap<>();
    WordTable table = new WordTable();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      String word = Integer.toString(random.nextInt(3000), 36) + (random.nextBoolean() ? "é" : "");
      int start = text.length();
      text.append(word).append(' ');
      expected.merge(word, 1L, Long::sum);
      table.add(text.toString(), start, start + word.length());
    }
    table.add("bulk", 5_000_000_000L);
    expected.put("bulk", 5_000_000_000L);

    assertThat(asMap(table), equalTo(expected));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WordTable.TableCoder.of().encode(table, bytes);
    assertThat(WordTable.TableCoder.of().decode(new ByteArrayInputStream(bytes.toByteArray())), equalTo(table));

    Map<String, Long> merged = new HashMap<>();
    table.splitInto(7, (part, shard) -> part.forEach((word, count) -> {
      assertThat(WordTable.shardOf(word, 7), equalTo(shard));
      merged.merge(word, count, Long::sum);
    }));
    assertThat(merged, equalTo(expected));
  }

  private static Map<String, Long> asMap(WordTable table) {
    Map<String, Long> map = new HashMap<>();
    table.forEach(map::put);
    return map;
  }
}
