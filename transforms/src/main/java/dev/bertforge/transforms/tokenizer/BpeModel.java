package dev.bertforge.transforms.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What BPE training produced: the tokens (byte-level strings; id = position: the 256 byte characters, then merged
 * tokens in creation order) and the merges in rank order. Special tokens are not part of it; {@link TokenizerJson}
 * places them.
 */
public final class BpeModel {
  private final List<String> tokens;
  private final long[] merges;

  BpeModel(List<String> tokens, long[] merges) {
    this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
    this.merges = merges.clone();
  }

  /** The tokens, byte-level strings, in id order. */
  public List<String> tokens() {
    return tokens;
  }

  public int mergeCount() {
    return merges.length;
  }

  /** The merges in rank order as HF writes them: {@code "left right"} (byte-level tokens never contain a space). */
  public List<String> mergeStrings() {
    List<String> out = new ArrayList<>(merges.length);
    for (long pair : merges) {
      out.add(tokens.get(PairMap.first(pair)) + " " + tokens.get(PairMap.second(pair)));
    }
    return out;
  }
}
