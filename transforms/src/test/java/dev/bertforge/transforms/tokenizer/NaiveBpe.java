package dev.bertforge.transforms.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The brute-force reference: recount every pair before each merge, take the highest count (ties: smallest
 * (id_a, id_b)), replace it left to right without overlaps in every word. Slow and obviously right.
 */
final class NaiveBpe {
  private NaiveBpe() {}

  /** The merges ("a b", byte-level) for raw word counts, until {@code vocabSize} tokens (alphabet included). */
  static List<String> merges(Map<String, Long> wordCounts, int vocabSize, long minFrequency) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      tokens.add(String.valueOf(ByteLevel.alphabetChar(i)));
    }
    List<List<Integer>> words = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    wordCounts.forEach((word, count) -> {
      List<Integer> symbols = new ArrayList<>();
      for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
        symbols.add(ByteLevel.alphabetIndexOfByte(b));
      }
      words.add(symbols);
      counts.add(count);
    });
    List<String> merges = new ArrayList<>();
    while (tokens.size() < vocabSize) {
      Map<Long, Long> pairs = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<Integer> s = words.get(w);
        for (int i = 0; i + 1 < s.size(); i++) {
          pairs.merge(PairMap.key(s.get(i), s.get(i + 1)), counts.get(w), Long::sum);
        }
      }
      long best = -1;
      long bestCount = 0;
      for (Map.Entry<Long, Long> e : pairs.entrySet()) {
        if (e.getValue() > bestCount || e.getValue() == bestCount && e.getKey() < best) {
          best = e.getKey();
          bestCount = e.getValue();
        }
      }
      if (best < 0 || bestCount < Math.max(1, minFrequency)) {
        break;
      }
      int a = PairMap.first(best);
      int b = PairMap.second(best);
      int merged = tokens.size();
      tokens.add(tokens.get(a) + tokens.get(b));
      merges.add(tokens.get(a) + " " + tokens.get(b));
      for (List<Integer> s : words) {
        for (int i = 0; i + 1 < s.size(); i++) {
          if (s.get(i) == a && s.get(i + 1) == b) {
            s.set(i, merged);
            s.remove(i + 1);
          }
        }
      }
    }
    return merges;
  }
}
