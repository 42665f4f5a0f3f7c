package dev.bertforge.trainer.data;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The special tokens of a tokenizer: the ids of the roles training needs ({@code mask}, {@code pad}, and
 * {@code cls}/{@code sep} when the tokenizer has them) and the set of every special id (never picked as a
 * random replacement, never masked in evaluation).
 */
public record SpecialTokens(int mask, int pad, Integer cls, Integer sep, Set<Integer> all) {

  public SpecialTokens {
    all = new TreeSet<>(all);
    all.add(mask);
    all.add(pad);
  }

  /**
   * From the manifest's {@code special_ids} roles when given, else from the token texts of
   * {@code special_tokens} ({@code [MASK]} or {@code <mask>}, {@code [PAD]} or {@code <pad>}, ...).
   *
   * @throws IllegalArgumentException if there is no mask or pad token
   */
  public static SpecialTokens of(Map<String, Integer> roles, Map<String, Integer> tokens) {
    Map<String, Integer> byRole = roles == null ? Map.of() : roles;
    Map<String, Integer> byText = tokens == null ? Map.of() : tokens;
    Integer mask = role(byRole, byText, "mask", "[MASK]", "<mask>");
    Integer pad = role(byRole, byText, "pad", "[PAD]", "<pad>");
    if (mask == null || pad == null) {
      throw new IllegalArgumentException("the tokenizer needs a mask and a pad token; special ids " + byRole
          + ", special tokens " + byText);
    }
    return new SpecialTokens(mask, pad, role(byRole, byText, "cls", "[CLS]", "<s>"),
        role(byRole, byText, "sep", "[SEP]", "</s>"), new TreeSet<>(byText.values()));
  }

  /** From token texts alone, e.g. {@code {"[CLS]": 1, "[MASK]": 4, ...}}. */
  public static SpecialTokens ofTokens(Map<String, Integer> tokens) {
    return of(null, tokens);
  }

  private static Integer role(Map<String, Integer> roles, Map<String, Integer> tokens, String role, String... texts) {
    if (roles.containsKey(role)) {
      return roles.get(role);
    }
    for (String text : texts) {
      if (tokens.containsKey(text)) {
        return tokens.get(text);
      }
    }
    return null;
  }

  public boolean isSpecial(int id) {
    return all.contains(id);
  }
}
