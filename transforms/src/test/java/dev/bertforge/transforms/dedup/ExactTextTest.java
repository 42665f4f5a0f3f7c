package dev.bertforge.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactTextTest {
  private static final Hasher128 XXH3 = Hashing.xxh3_128();

  /** The definition, written plainly: NFC, then whitespace runs to one space, trimmed. */
  private static String reference(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder();
    boolean pendingSpace = false;
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** UTF-16 code units, little-endian, lone surrogates included (a charset encoder would replace them). */
  private static byte[] utf16le(String s) {
    byte[] bytes = new byte[2 * s.length()];
    for (int i = 0; i < s.length(); i++) {
      bytes[2 * i] = (byte) s.charAt(i);
      bytes[2 * i + 1] = (byte) (s.charAt(i) >>> 8);
    }
    return bytes;
  }

  @Test
  void charactersBelowTheCombiningMarksNeverChangeUnderNfcAloneOrInPairs() {
    // Justifies normalize's fast path, which skips the normalizer for such texts.
    for (char a = 0; a < 0x300; a++) {
      for (char b = 0; b < 0x300; b++) {
        String pair = "" + a + b;
        assertThat(pair, Normalizer.isNormalized(pair, Normalizer.Form.NFC), equalTo(true));
      }
    }
  }

  @Test
  void normalizeMatchesTheDefinitionOnRandomMixedTexts() {
    char[] alphabet = {'a', 'Z', '0', '_', ' ', '\t', '\n', '\r', '\u000b', '\u001c', '\u00a0', '\u2003', '\u3000',
        'e', '\u0301', '\u00e9', '\u0065', '\u0308', 'x', '\u00c5', '\u212b', '\ud83d', '\ude00', '\u4e2d', ';'};
    SplittableRandom random = new SplittableRandom(3);
    Map<HashValue128, String> byHash = new HashMap<>();
    for (int n = 0; n < 2000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      boolean asciiOnly = n % 2 == 0;
      for (int i = 0; i < length; i++) {
        text.append(asciiOnly ? alphabet[random.nextInt(10)] : alphabet[random.nextInt(alphabet.length)]);
      }
      String s = text.toString();
      assertThat(s, ExactText.normalize(s), equalTo(reference(s)));
      assertThat(ExactText.hash(s), equalTo(ExactText.hash(reference(s))));
      assertThat(s, ExactText.hash(s), equalTo(XXH3.hashBytesTo128Bits(utf16le(reference(s)))));
      String previous = byHash.put(ExactText.hash(s), reference(s));
      if (previous != null) {
        assertThat("one hash, one normalized text", reference(s), equalTo(previous));
      }
    }
  }
}
