package dev.bertforge.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShinglerTest {

  @Test
  void tokensAreRunsOfLettersDigitsAndUnderscoreLowercased() {
    Shingler two = new Shingler(2);
    assertThat(
        two.shingles("Hello, WORLD!  foo_bar-123 École\tİx"),
        // "İ" lowercases to "i" + U+0307 (a combining mark, not a letter), which ends the token.
        contains("hello world", "world foo_bar", "foo_bar 123", "123 école", "école i", "i x"));
  }

  @Test
  void fewerTokensThanNgramSizeGiveOneShingleAndNoTokensGiveNone() {
    Shingler five = new Shingler(5);
    assertThat(five.shingles("int main(void)"), contains("int main void"));
    assertThat(five.shingles(" ;;; {} -- "), empty());
    assertThat(five.hashes(" ;;; {} -- ").length, equalTo(0));
    assertThat(five.hashes("int main(void)").length, equalTo(1));
  }

  @Test
  void nonLatinLettersAndSupplementaryCharactersAreTokenCharacters() {
    Shingler one = new Shingler(1);
    assertThat(one.shingles("数据 правда 𝐀b·c"), contains("数据", "правда", "𝐀b", "c"));
  }

  @Test
  void hashesAreOneToOneWithTheStringShingles() {
    Random random = new Random(7);
    String[] words = {"a", "b", "int", "x_1", "Über", "über", "数据", "9", "return", "𝐀"};
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20000; i++) {
      text.append(words[random.nextInt(words.length)]).append(random.nextInt(4) == 0 ? ", " : " ");
    }
    for (int n : new int[] {1, 3, 5}) {
      Shingler shingler = new Shingler(n);
      List<String> shingles = shingler.shingles(text.toString());
      long[] hashes = shingler.hashes(text.toString());
      assertThat(hashes.length, equalTo(shingles.size()));
      Map<String, Long> hashOf = new HashMap<>();
      Map<Long, String> shingleOf = new HashMap<>();
      for (int i = 0; i < hashes.length; i++) {
        Long previousHash = hashOf.put(shingles.get(i), hashes[i]);
        if (previousHash != null) {
          assertThat("same shingle, same hash", hashes[i], equalTo(previousHash));
        }
        String previousShingle = shingleOf.put(hashes[i], shingles.get(i));
        if (previousShingle != null) {
          assertThat("one hash, one shingle", shingles.get(i), equalTo(previousShingle));
        }
      }
    }
  }

  @Test
  void asciiFastPathGivesTheHashesOfTheLowercasedText() {
    Random random = new Random(11);
    String alphabet = "aZzA09_ \t\n;(){}xX-*";
    Shingler shingler = new Shingler(5);
    for (int n = 0; n < 500; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(300); i > 0; i--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String ascii = text.toString();
      assertThat(ascii, shingler.hashes(ascii), equalTo(shingler.hashesOfLowercased(ascii)));
      // A non-ASCII character anywhere takes the general path.
      String mixed = ascii + " Über";
      assertThat(mixed, shingler.hashes(mixed), equalTo(shingler.hashesOfLowercased(mixed)));
    }
  }

  @Test
  void shingleSetIsSortedAndDistinct() {
    long[] set = new Shingler(1).shingleSet("b a b a c");
    assertThat(set.length, equalTo(3));
    assertThat(set[0] < set[1] && set[1] < set[2], equalTo(true));
  }
}
