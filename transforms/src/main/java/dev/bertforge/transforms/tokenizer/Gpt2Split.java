package dev.bertforge.transforms.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into pre-tokens ("words") exactly as Hugging Face's {@code ByteLevel(use_regex=true)} does with the
 * GPT-2 pattern
 *
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 *
 * <p>A hand-written scanner rather than {@code java.util.regex}: it is several times faster, and its character classes
 * come from a table made by asking HF itself about every code point ({@code gpt2-char-classes.tsv}), so the JDK's
 * Unicode version does not matter. Pieces are reported as offsets into the (already normalized) text.
 */
public final class Gpt2Split {
  /** Receives each piece as {@code text[start, end)}. */
  @FunctionalInterface
  public interface PieceSink {
    void piece(String text, int start, int end);
  }

  static final byte OTHER = 0;
  static final byte LETTER = 1;
  static final byte NUMBER = 2;
  static final byte SPACE = 3;

  private static final byte[] CLASS_OF = loadClasses();

  private Gpt2Split() {}

  /** The pieces of {@code text} as strings (convenient for tests; the sink form allocates nothing). */
  public static List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    split(text, (t, start, end) -> pieces.add(t.substring(start, end)));
    return pieces;
  }

  /** Calls {@code sink} for each piece of {@code text}, in order; the pieces cover the text exactly. */
  public static void split(String text, PieceSink sink) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      int end = pieceEnd(text, i, n);
      sink.piece(text, i, end);
      i = end;
    }
  }

  /** Where the piece that starts at {@code i} ends: the regex's alternatives, tried in their order. */
  private static int pieceEnd(String text, int i, int n) {
    char c = text.charAt(i);
    if (c == '\'') {
      int contraction = contractionLength(text, i + 1, n);
      if (contraction > 0) {
        return i + 1 + contraction;
      }
    }
    int cls = classAt(text, i);
    // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": an optional single space, then a run of one class
    int runStart = i;
    if (c == ' ' && i + 1 < n) {
      int next = classAt(text, i + 1);
      if (next != SPACE) {
        cls = next;
        runStart = i + 1;
      }
    }
    if (cls != SPACE) {
      return runEnd(text, runStart, n, cls);
    }
    // "\s+(?!\S)" keeps the last whitespace of a run for the next word; "\s+" takes a lone one
    int end = runEnd(text, i, n, SPACE);
    if (end < n && end - i > 1) {
      return end - 1; // whitespace characters are all in the BMP: one char each
    }
    return end;
  }

  private static int contractionLength(String text, int j, int n) {
    if (j >= n) {
      return 0;
    }
    char a = text.charAt(j);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') {
      return 1;
    }
    if (j + 1 < n) {
      char b = text.charAt(j + 1);
      if ((a == 'r' || a == 'v') && b == 'e' || a == 'l' && b == 'l') {
        return 2;
      }
    }
    return 0;
  }

  private static int runEnd(String text, int i, int n, int cls) {
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (CLASS_OF[Character.toCodePoint(c, text.charAt(i + 1))] != cls) {
          break;
        }
        i += 2;
      } else {
        if (CLASS_OF[c] != cls) {
          break;
        }
        i++;
      }
    }
    return i;
  }

  static int classAt(String text, int i) {
    return CLASS_OF[text.codePointAt(i)];
  }

  private static byte[] loadClasses() {
    byte[] classes = new byte[Character.MAX_CODE_POINT + 1];
    try (InputStream in = Gpt2Split.class.getResourceAsStream("gpt2-char-classes.tsv");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        byte cls = f[2].equals("L") ? LETTER : f[2].equals("N") ? NUMBER : SPACE;
        int end = Integer.parseInt(f[1], 16);
        for (int cp = Integer.parseInt(f[0], 16); cp <= end; cp++) {
          classes[cp] = cls;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read gpt2-char-classes.tsv", e);
    }
    return classes;
  }
}
