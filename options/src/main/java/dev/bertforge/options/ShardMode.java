package dev.bertforge.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How encoded documents become training rows of at most {@code maxSeqLen} tokens. */
public enum ShardMode {
  /** Long documents are cut into [CLS] … [SEP] windows, then packed best-fit, several documents to a row. */
  PACK,
  /** Long documents are cut into [CLS] … [SEP] windows; one window per row. No token is lost. */
  SPLIT,
  /** The first {@code maxSeqLen} tokens of each document, ending in [SEP]; one document per row. */
  TRUNCATE;

  /** Parses {@code pack|split|truncate} in any case (Beam's option parser calls this through Jackson). */
  @JsonCreator
  public static ShardMode parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown mode '" + name + "': expected one of pack, split, truncate");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
