package dev.bertforge.transforms.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What Hugging Face does to a document before BPE sees it, for our tokenizer.json: the NFC normalizer, then the
 * {@code ByteLevel(add_prefix_space=false, use_regex=true)} pre-tokenizer. A document is normalized and split as a
 * whole, as {@code train_from_iterator} does.
 */
public final class PreTokenizer {
  /** Below U+0300 nothing changes under NFC (no character there has NFC_Quick_Check No or Maybe). */
  private static final char FIRST_NFC_SENSITIVE = '\u0300';

  private PreTokenizer() {}

  /** {@code text} in NFC; lone surrogates (not valid Unicode, HF cannot receive them) become U+FFFD. */
  public static String normalize(String text) {
    boolean simple = true;
    for (int i = 0; i < text.length() && simple; i++) {
      simple = text.charAt(i) < FIRST_NFC_SENSITIVE;
    }
    if (simple) {
      return text;
    }
    String valid = replaceLoneSurrogates(text);
    return Normalizer.isNormalized(valid, Normalizer.Form.NFC) ? valid : Normalizer.normalize(valid, Normalizer.Form.NFC);
  }

  /** The byte-level words of a raw document, as HF's trainer counts them. */
  public static List<String> byteLevelWords(String text) {
    List<String> words = new ArrayList<>();
    for (String piece : Gpt2Split.split(normalize(text))) {
      words.add(ByteLevel.encode(piece));
    }
    return words;
  }

  private static String replaceLoneSurrogates(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean lone = Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)));
      if (Character.isHighSurrogate(c) && !lone) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (lone && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(lone ? '\uFFFD' : c);
      }
    }
    return out == null ? text : out.toString();
  }
}
