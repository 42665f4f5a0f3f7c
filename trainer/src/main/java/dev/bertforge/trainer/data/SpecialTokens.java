package dev.bertforge.trainer.data;

import java.util.Map;
import java.util.TreeMap;

/** The special token ids of a tokenizer, by their text ({@code [MASK]}, {@code [PAD]}, ...). */
public record SpecialTokens(Map<String, Integer> ids) {
  public static final String UNK = "[UNK]";
  public static final String CLS = "[CLS]";
  public static final String SEP = "[SEP]";
  public static final String PAD = "[PAD]";
  public static final String MASK = "[MASK]";

  public SpecialTokens {
    ids = new TreeMap<>(ids);
  }

  public int mask() {
    return require(MASK);
  }

  public int pad() {
    return require(PAD);
  }

  /** True if {@code id} is one of the special tokens. */
  public boolean isSpecial(int id) {
    return ids.containsValue(id);
  }

  private int require(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IllegalStateException("the tokenizer has no " + token + " token");
    }
    return id;
  }
}
