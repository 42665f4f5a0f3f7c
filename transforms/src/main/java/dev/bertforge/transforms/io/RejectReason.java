package dev.bertforge.transforms.io;

import java.util.Locale;

/** Why an input record (or a whole file) was not turned into a document. */
public enum RejectReason {
  /** The line is not one JSON object (a parse error, an array, trailing content, …). */
  BAD_JSON,
  /** The text field is absent or null. */
  MISSING_TEXT,
  /** The text field is there but not a string (a number, an object, a list column, …). */
  TEXT_NOT_STRING,
  /** The record's bytes are not valid UTF-8 (or the text holds an unpaired surrogate). */
  INVALID_UTF8,
  /** The id field is absent or null. */
  MISSING_ID,
  /** The id field is neither a string nor an integer. */
  BAD_ID,
  /** The record is longer than {@link ReadDocuments#MAX_RECORD_BYTES}. */
  RECORD_TOO_LARGE,
  /** A Parquet file whose schema differs from the first file's, while records are kept for writing back. */
  SCHEMA_MISMATCH,
  /** The file (or its rest, from the position given) cannot be opened, decompressed or decoded. */
  UNREADABLE_FILE,
  /** Labelled data: the label field is absent, null or blank. */
  MISSING_LABEL,
  /** Labelled data: the label is of the wrong type (not a string or integer class; not a number to regress on). */
  BAD_LABEL,
  /** Labelled data: a validation or test label that the training data never has. */
  UNSEEN_LABEL,
  /** Labelled data: the second text of a pair is absent, null or not a string. */
  BAD_TEXT_PAIR;

  /** The name used in rejected/*.jsonl, metrics and stats: {@code bad_json}, {@code missing_text}, …. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RejectReason fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
