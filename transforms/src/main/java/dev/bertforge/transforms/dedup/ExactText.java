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
  /** The same for every character of the Basic Multilingual Plane (64 KB, one lookup per character). */
  private static final boolean[] BMP_SPACE = new boolean[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      BMP_SPACE[c] = Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
    System.arraycopy(BMP_SPACE, 0, ASCII_SPACE, 0, 128);
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
   * whitespace runs are collapsed straight into the byte buffer that is hashed.
   */
  public static HashValue128 hash(char[] chars, int length) {
    if (!belowCombiningMarks(chars, length)) {
      chars = Normalizer.normalize(new String(chars, 0, length), Normalizer.Form.NFC).toCharArray();
      length = chars.length;
    }
    byte[] units = new byte[2 * length];
    int n = 0;
    boolean pendingSpace = false;
    for (int i = 0; i < length; i++) {
      char c = chars[i];
      boolean space;
      if (!Character.isSurrogate(c)) {
        space = BMP_SPACE[c];
      } else {
        // No supplementary code point is whitespace, but ask rather than assume.
        int cp = Character.codePointAt(chars, i, length);
        space = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
      }
      if (space) {
        pendingSpace = n > 0;
        continue;
      }
      if (pendingSpace) {
        units[n] = ' ';
        units[n + 1] = 0;
        n += 2;
        pendingSpace = false;
      }
      units[n] = (byte) c;
      units[n + 1] = (byte) (c >>> 8);
      n += 2;
    }
    return HASHER.hashBytesTo128Bits(units, 0, n);
  }
}
