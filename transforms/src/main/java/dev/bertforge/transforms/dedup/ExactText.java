package dev.bertforge.transforms.dedup;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.ByteBuffer;
import java.text.Normalizer;

/**
 * The text that exact deduplication compares: Unicode NFC, every run of whitespace (Unicode White_Space, e.g. also
 * no-break space) replaced by one space, leading and trailing whitespace dropped; and its 128-bit key.
 */
public final class ExactText {
  private static final Hasher128 HASHER = Hashing.xxh3_128();

  /** Whether {@link Character#isWhitespace} or {@link Character#isSpaceChar} accepts a BMP character (64 KB). */
  private static final boolean[] BMP_SPACE = new boolean[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      BMP_SPACE[c] = Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
  }

  private ExactText() {}

  public static String normalize(String text) {
    ByteBuffer units = normalizedUnits(text.toCharArray(), text.length());
    char[] chars = new char[units.limit() / 2];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ((units.get(2 * i) & 0xff) | (units.get(2 * i + 1) & 0xff) << 8);
    }
    return new String(chars);
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

  /** {@link #hash(String)} of the text in {@code chars[0, length)}, without building the normalized string. */
  public static HashValue128 hash(char[] chars, int length) {
    ByteBuffer units = normalizedUnits(chars, length);
    return HASHER.hashBytesTo128Bits(units.array(), 0, units.limit());
  }

  /**
   * The normalized text of {@code chars[0, length)} as UTF-16 code units, little-endian, in a fresh array from its
   * start: what {@link #hash} hashes, written straight from the input in one pass.
   */
  private static ByteBuffer normalizedUnits(char[] chars, int length) {
    // Characters below U+0300 (the combining marks) are all NFC and never compose: skip the normalizer for them.
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
    return ByteBuffer.wrap(units, 0, n);
  }

  private static boolean belowCombiningMarks(char[] chars, int length) {
    for (int i = 0; i < length; i++) {
      if (chars[i] >= 0x300) {
        return false;
      }
    }
    return true;
  }
}
