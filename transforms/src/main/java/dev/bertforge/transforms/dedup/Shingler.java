package dev.bertforge.transforms.dedup;

import dev.bertforge.transforms.group.SplitMix;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word n-gram shingles of a text, the unit MinHash and exact Jaccard compare.
 *
 * <p>The definition, exactly: the text is lowercased with {@link Locale#ROOT}; a token is a maximal run of Unicode
 * letters, digits ({@link Character#isLetterOrDigit(int)}) and underscore; a shingle is {@code ngramSize} consecutive
 * tokens joined by one space. A text with at least one but fewer than {@code ngramSize} tokens has one shingle of
 * all its tokens; a text without tokens has no shingle (it is left to exact deduplication).
 *
 * <p>{@link #shingles} returns the shingles as strings (the reference, used by tests and by the benchmark's Python
 * anchor); {@link #hashes} returns a 64-bit hash of each shingle without building any string: every token is hashed
 * once, and a shingle's hash mixes the hashes of its tokens in order. Two different shingles collide with
 * probability about 2<sup>-64</sup>.
 */
public final class Shingler implements Serializable {
  private static final long TOKEN_SEED = 0x6A09E667F3BCC908L;
  private static final long FNV_PRIME = 0x100000001B3L;
  private static final long SHINGLE_MULTIPLIER = 0x9E3779B97F4A7C15L;
  private static final boolean[] ASCII_WORD = new boolean[128];
  /** For an ASCII character: its lowercase if it is a token character, else 0. */
  private static final char[] ASCII_LOWER_WORD = new char[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII_WORD[c] = Character.isLetterOrDigit(c) || c == '_';
      ASCII_LOWER_WORD[c] = ASCII_WORD[c] ? Character.toLowerCase((char) c) : 0;
    }
  }

  private final int ngramSize;

  public Shingler(int ngramSize) {
    if (ngramSize < 1) {
      throw new IllegalArgumentException("ngramSize must be at least 1, got " + ngramSize);
    }
    this.ngramSize = ngramSize;
  }

  public int ngramSize() {
    return ngramSize;
  }

  /** The shingles of {@code text} as strings, in order of appearance, repeats included. */
  public List<String> shingles(String text) {
    List<String> tokens = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < lower.length()) {
      int cp = lower.codePointAt(i);
      if (isTokenChar(cp)) {
        int start = i;
        while (i < lower.length() && isTokenChar(lower.codePointAt(i))) {
          i += Character.charCount(lower.codePointAt(i));
        }
        tokens.add(lower.substring(start, i));
      } else {
        i += Character.charCount(cp);
      }
    }
    List<String> out = new ArrayList<>();
    if (tokens.isEmpty()) {
      return out;
    }
    if (tokens.size() < ngramSize) {
      out.add(String.join(" ", tokens));
      return out;
    }
    for (int s = 0; s + ngramSize <= tokens.size(); s++) {
      out.add(String.join(" ", tokens.subList(s, s + ngramSize)));
    }
    return out;
  }

  /**
   * A 64-bit hash of every shingle of {@code text}, in order of appearance, repeats included; empty when the text
   * has no token. Equal shingles always give equal hashes.
   */
  public long[] hashes(String text) {
    return hashes(text.toCharArray(), text.length(), text);
  }

  /**
   * {@link #hashes(String)} of the text in {@code chars[0, length)}; {@code text} is the same text as a string when
   * the caller has it (the path for non-ASCII texts lowercases a string), else null.
   */
  public long[] hashes(char[] chars, int length, String text) {
    long[] tokens = asciiTokenHashes(chars, length);
    if (tokens == null) {
      String lower = (text != null ? text : new String(chars, 0, length)).toLowerCase(Locale.ROOT);
      tokens = tokenHashes(lower);
    }
    return shingleHashes(tokens);
  }

  /** {@link #hashes} by the general path (lowercase the whole text first), for tests of the ASCII fast path. */
  long[] hashesOfLowercased(String text) {
    return shingleHashes(tokenHashes(text.toLowerCase(Locale.ROOT)));
  }

  private long[] shingleHashes(long[] tokens) {
    int count = tokens.length;
    if (count == 0) {
      return tokens;
    }
    if (count < ngramSize) {
      return new long[] {shingleHash(tokens, 0, count)};
    }
    long[] out = new long[count - ngramSize + 1];
    for (int s = 0; s < out.length; s++) {
      out[s] = shingleHash(tokens, s, ngramSize);
    }
    return out;
  }

  /** The distinct shingle hashes of {@code text}, sorted: the shingle set that exact Jaccard compares. */
  public long[] shingleSet(String text) {
    return distinctSorted(hashes(text));
  }

  /** Sorts a copy of {@code hashes} and drops repeats. */
  public static long[] distinctSorted(long[] hashes) {
    long[] sorted = hashes.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
  }

  /**
   * One hash per token of an ASCII text, lowercasing as it goes (the same hashes as {@link #tokenHashes} of the
   * lowercased text, without copying it); null as soon as a non-ASCII character shows up.
   */
  private static long[] asciiTokenHashes(char[] text, int length) {
    long[] hashes = new long[Math.max(16, length / 4)];
    int count = 0;
    int i = 0;
    while (i < length) {
      char c = text[i];
      if (c >= 128) {
        return null;
      }
      if (ASCII_LOWER_WORD[c] == 0) {
        i++;
        continue;
      }
      long h = TOKEN_SEED;
      int start = i;
      char lower;
      while (i < length && (c = text[i]) < 128 && (lower = ASCII_LOWER_WORD[c]) != 0) {
        h = (h ^ lower) * FNV_PRIME;
        i++;
      }
      if (i < length && c >= 128) {
        return null;
      }
      if (count == hashes.length) {
        hashes = Arrays.copyOf(hashes, count * 2);
      }
      hashes[count++] = SplitMix.mix(h + (i - start));
    }
    return Arrays.copyOf(hashes, count);
  }

  /** One hash per token of an already lowercased text. */
  private static long[] tokenHashes(String lower) {
    long[] hashes = new long[Math.max(16, lower.length() / 4)];
    int count = 0;
    int length = lower.length();
    int i = 0;
    while (i < length) {
      char c = lower.charAt(i);
      boolean word = c < 128 ? ASCII_WORD[c] : isTokenChar(lower.codePointAt(i));
      if (!word) {
        i += c < 128 ? 1 : Character.charCount(lower.codePointAt(i));
        continue;
      }
      long h = TOKEN_SEED;
      int start = i;
      while (i < length) {
        c = lower.charAt(i);
        if (c < 128) {
          if (!ASCII_WORD[c]) {
            break;
          }
          h = (h ^ c) * FNV_PRIME;
          i++;
        } else {
          int cp = lower.codePointAt(i);
          if (!isTokenChar(cp)) {
            break;
          }
          // Hash UTF-16 units, so a supplementary code point counts as its two surrogates.
          for (int end = i + Character.charCount(cp); i < end; i++) {
            h = (h ^ lower.charAt(i)) * FNV_PRIME;
          }
        }
      }
      if (count == hashes.length) {
        hashes = Arrays.copyOf(hashes, count * 2);
      }
      hashes[count++] = SplitMix.mix(h + (i - start));
    }
    return Arrays.copyOf(hashes, count);
  }

  private static long shingleHash(long[] tokens, int from, int length) {
    long h = length;
    for (int t = from; t < from + length; t++) {
      h = h * SHINGLE_MULTIPLIER + tokens[t];
    }
    return SplitMix.mix(h);
  }

  static boolean isTokenChar(int codePoint) {
    return codePoint == '_' || Character.isLetterOrDigit(codePoint);
  }
}
