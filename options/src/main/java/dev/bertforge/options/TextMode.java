package dev.bertforge.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How plain-text files become documents: one document per file, or one per non-blank line. */
public enum TextMode {
  FILE,
  LINE;

  /** Parses {@code file|line} in any case. */
  @JsonCreator
  public static TextMode parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("unknown text mode '" + name + "': expected file or line");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
