package dev.bertforge.transforms.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level mapping, as Hugging Face's {@code ByteLevel} pre-tokenizer and decoder use it: every UTF-8 byte
 * is shown as one printable character, so that a token is a string and no byte is ever unknown.
 *
 * <p>Bytes 0x21–0x7E, 0xA1–0xAC and 0xAE–0xFF stand for themselves; the 68 others map, in byte order, to U+0100…U+0143
 * (space → {@code Ġ}, newline → {@code Ċ}). All 256 characters are in the BMP, so one byte is one Java {@code char}.
 */
public final class ByteLevel {
  /** The number of byte characters: the initial alphabet of every byte-level BPE. */
  public static final int ALPHABET_SIZE = 256;

  private static final char[] BYTE_TO_CHAR = new char[ALPHABET_SIZE];
  private static final int[] CHAR_TO_BYTE = new int[0x144];
  /** Position of each byte's character in code-point order: HF lays the alphabet out in that order. */
  private static final int[] BYTE_TO_ALPHABET_INDEX = new int[ALPHABET_SIZE];
  private static final char[] ALPHABET = new char[ALPHABET_SIZE];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 0x100;
    for (int b = 0; b < ALPHABET_SIZE; b++) {
      boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      BYTE_TO_CHAR[b] = (char) (printable ? b : next++);
      CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
    }
    int index = 0;
    for (char c = 0; c < CHAR_TO_BYTE.length; c++) {
      if (CHAR_TO_BYTE[c] >= 0) {
        ALPHABET[index] = c;
        BYTE_TO_ALPHABET_INDEX[CHAR_TO_BYTE[c]] = index++;
      }
    }
  }

  private ByteLevel() {}

  /** The character that shows byte {@code b} (0–255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The byte a byte-level character stands for, or -1 if {@code c} is not one. */
  public static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /** The 256 byte characters in code-point order (HF's order of the initial alphabet). */
  public static char alphabetChar(int index) {
    return ALPHABET[index];
  }

  /** Where byte {@code b}'s character stands in the code-point-ordered alphabet. */
  public static int alphabetIndexOfByte(int b) {
    return BYTE_TO_ALPHABET_INDEX[b & 0xFF];
  }

  /** The byte-level form of {@code text}'s UTF-8 bytes. */
  public static String encode(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The byte-level form of raw bytes. */
  public static String encode(byte[] utf8) {
    char[] out = new char[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
    }
    return new String(out);
  }

  /** The bytes a byte-level string stands for; characters outside the table are kept as their own UTF-8. */
  public static byte[] decode(String byteLevel) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(byteLevel.length());
    for (int i = 0; i < byteLevel.length(); ) {
      int cp = byteLevel.codePointAt(i);
      int b = cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
      if (b >= 0) {
        out.write(b);
      } else {
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
      }
      i += Character.charCount(cp);
    }
    return out.toByteArray();
  }
}
