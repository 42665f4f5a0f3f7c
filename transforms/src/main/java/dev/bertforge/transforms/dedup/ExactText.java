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

  /** ASCII characters that {@link Character#isWhitespace} or {@link Character#isSpaceChar} accept. */
  private static final boolean[] ASCII_SPACE = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII_SPACE[c] = Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
  }

  private ExactText() {}

  public static String normalize(String text) {
    // Characters below U+0300 (the combining marks) are all NFC and never compose: skip the normalizer for them.
    String nfc = belowCombiningMarks(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    boolean pendingSpace = false;
    for (int i = 0; i < nfc.length(); ) {
      char c = nfc.charAt(i);
      int cp = c < 128 ? c : nfc.codePointAt(i);
      i += c < 128 ? 1 : Character.charCount(cp);
      if (c < 128 ? ASCII_SPACE[c] : Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        if (c < 128) {
          out.append(c);
        } else {
          out.appendCodePoint(cp);
        }
      }
    }
    return out.toString();
  }

  private static boolean belowCombiningMarks(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x300) {
        return false;
      }
    }
    return true;
  }

  private static boolean belowCombiningMarks(char[] chars, int length) {
    for (int i = 0; i < length; i++) {
      if (chars[i] >= 0x300) {
        return false;
      }
    }
    return true;
  }

  /** xxh3-128 of the normalized text, as 32 hex digits: equal for equal normalized texts. */
  public static String key(String text) {
    HashValue128 h = hash(text);
    return String.format("%016x%016x", h.getMostSignificantBits(), h.getLeastSignificantBits());
  }

  /** xxh3-128 of the normalized text's UTF-16 code units, little-endian. */
  public static HashValue128 hash(String text) {
    return hash(text.toCharArray(), text.length());
  }

  /**
   * {@link #hash(String)} of the text in {@code chars[0, length)}, computed without building the normalized string:
   * whitespace runs are collapsed into a scratch array that is hashed.
   */
  public static HashValue128 hash(char[] chars, int length) {
    if (!belowCombiningMarks(chars, length)) {
      String nfc = Normalizer.normalize(new String(chars, 0, length), Normalizer.Form.NFC);
      chars = nfc.toCharArray();
      length = chars.length;
    }
    char[] out = new char[length];
    int n = 0;
    boolean pendingSpace = false;
    for (int i = 0; i < length; ) {
      char c = chars[i];
      int units = 1;
      if (c < 128) {
        if (ASCII_SPACE[c]) {
          pendingSpace = n > 0;
          i++;
          continue;
        }
      } else {
        int cp = Character.codePointAt(chars, i, length);
        units = Character.charCount(cp);
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
          pendingSpace = n > 0;
          i += units;
          continue;
        }
      }
      if (pendingSpace) {
        out[n++] = ' ';
        pendingSpace = false;
      }
      for (int end = i + units; i < end; i++) {
        out[n++] = chars[i];
      }
    }
    return HASHER.hashStream().putChars(out, 0, n).get();
  }
}
