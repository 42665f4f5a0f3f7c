package dev.bertforge.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How input files are parsed. {@code AUTO} decides per file from its extension (see {@link #fromFileName}). */
public enum InputFormat {
  AUTO,
  JSONL,
  PARQUET,
  TEXT;

  /** Parses {@code auto|jsonl|parquet|text} in any case (Beam's option parser calls this through Jackson). */
  @JsonCreator
  public static InputFormat parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException(
          "unknown format '" + name + "': expected one of auto, jsonl, parquet, text");
    }
  }

  /**
   * The format a file's extension implies, after any compression suffix ({@code .gz}, {@code .zst}, …) is removed:
   * {@code .jsonl .ndjson .json} are JSONL, {@code .parquet .pq} are Parquet, anything else is plain text.
   */
  public static InputFormat fromFileName(String nameWithoutCompressionSuffix) {
    String name = nameWithoutCompressionSuffix.toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return JSONL;
    }
    if (name.endsWith(".parquet") || name.endsWith(".pq")) {
      return PARQUET;
    }
    return TEXT;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
