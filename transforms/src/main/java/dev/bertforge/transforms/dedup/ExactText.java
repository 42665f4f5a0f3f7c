package dev.bertforge.transforms.dedup;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.text.Normalizer;

/**
 * The text that exact deduplication compares: Unicode NFC, every run of whitespace (Unicode White_Space, e.g. also
 * no-break space) replaced by one space, leading and trailing whitespace dropped; and its 128-bit key.
 */
public final class ExactText {
  private static final Hasher128 HASHER = Hashing.xxh3_128();

  private ExactText() {}

  public static String normalize(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
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

  /** xxh3-128 of the normalized text, as 32 hex digits: equal for equal normalized texts. */
  public static String key(String text) {
    HashValue128 h = HASHER.hashCharsTo128Bits(normalize(text));
    return String.format("%016x%016x", h.getMostSignificantBits(), h.getLeastSignificantBits());
  }
}
