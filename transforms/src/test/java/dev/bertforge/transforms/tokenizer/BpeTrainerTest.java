package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
  @ParameterizedTest
  @ValueSource(strings = {"licenses", "ties"})
  void reproducesHuggingFaceVocabAndMergesExactly(String corpus) {
    JsonNode hf = Fixtures.json("hf-" + corpus + ".json");
    List<String> specials = Fixtures.strings(hf.get("special_tokens"));
    Words words = words(Fixtures.wordCounts(Fixtures.documents("corpus-" + corpus + ".jsonl")));

    BpeModel model = new BpeTrainer(hf.get("vocab_size").asInt() - specials.size(), hf.get("min_frequency").asLong())
        .train(words);

    List<String> vocab = new ArrayList<>(specials);
    vocab.addAll(model.tokens());
    assertThat(model.mergeCount(), greaterThan(50));
    assertThat(model.mergeStrings(), equalTo(Fixtures.strings(hf.get("merges"))));
    assertThat(vocab, equalTo(Fixtures.strings(hf.get("vocab"))));
  }

  @Test
  void agreesWithBruteForceOnRandomCorpora() {
    Random random = new Random(3);
    for (int trial = 0; trial < 30; trial++) {
      Map<String, Long> counts = new LinkedHashMap<>();
      String alphabet = trial % 2 == 0 ? "ab" : "abcdé";
      for (int w = 0; w < 1 + random.nextInt(60); w++) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < 1 + random.nextInt(12); i++) {
          word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        counts.merge(word.toString(), 1L + random.nextInt(5), Long::sum);
      }
      int vocab = 256 + 1 + random.nextInt(80);
      long minFrequency = random.nextInt(3);
      assertThat("trial " + trial, new BpeTrainer(vocab, minFrequency).train(words(counts)).mergeStrings(),
          equalTo(NaiveBpe.merges(counts, vocab, minFrequency)));
    }
  }

  @Test
  void countsBeyondTwoToThe31DoNotWrap() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("ab", 3_000_000_000L); // HF's 32-bit pair count would wrap negative here
    counts.put("cd", 2_000_000_000L);
    counts.put("ef", 1L);
    BpeModel model = new BpeTrainer(259, 2).train(words(counts));
    assertThat(model.mergeStrings(), contains("a b", "c d"));
  }

  @Test
  void stopsWhenNoPairIsFrequentEnough() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("aaaa", 1L);
    counts.put("xyz", 1L);
    BpeModel model = new BpeTrainer(1000, 2).train(words(counts));
    assertThat(model.mergeStrings(), contains("a a")); // (a,a) occurs 3 times; after it nothing occurs twice
    assertThat(model.tokens().size(), equalTo(257));
  }

  @Test
  void rejectsAVocabularySmallerThanTheAlphabet() {
    assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(255, 2));
  }

  static Words words(Map<String, Long> counts) {
    Words words = new Words();
    counts.forEach(words::add);
    return words;
  }
}
