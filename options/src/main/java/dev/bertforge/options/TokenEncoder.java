package dev.bertforge.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** Which implementation turns text into token ids; both give Hugging Face tokenizers' ids. */
public enum TokenEncoder {
  /** Plain Java for a byte-level BPE tokenizer.json (several times faster), DJL's Rust tokenizers otherwise. */
  AUTO,
  /** Always DJL's {@code HuggingFaceTokenizer} (the Rust Hugging Face tokenizers library). */
  DJL;

  /** Parses {@code auto|djl} in any case (Beam's option parser calls this through Jackson). */
  @JsonCreator
  public static TokenEncoder parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown encoder '" + name + "': expected auto or djl");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
