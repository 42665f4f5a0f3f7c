package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where a pipeline's documents come from and how to read them. Every data pipeline's options extend this. */
public interface DocumentInputOptions extends PipelineOptions {

  @Description(
      "Input files: a path, a directory (ending in /) or a glob (*, **, ?), on any Beam filesystem "
          + "(local, gs://, s3://). Files whose names start with '.' or '_' are skipped.")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description(
      "Input format: auto (from each file's extension: .jsonl/.ndjson/.json, .parquet/.pq, anything else is "
          + "text; .gz/.zst/.bz2 compression is detected too), jsonl, parquet or text.")
  @Default.Enum("AUTO")
  InputFormat getFormat();

  void setFormat(InputFormat value);

  @Description("The JSON field or Parquet column that holds the document text (a string).")
  @Default.String("text")
  String getTextField();

  void setTextField(String value);

  @Description(
      "The JSON field or Parquet column that holds a unique document id (string or integer). Without it, ids are "
          + "'path:line' (JSONL, text lines; lines count from 1), 'path:row' (Parquet; rows count from 0) or "
          + "'path' (one text file per document), with paths relative to the input's directory. "
          + "A duplicate id stops the run with an error that names both places.")
  String getIdField();

  void setIdField(String value);

  @Description("Plain text only: 'file' makes each file one document, 'line' makes each non-blank line one.")
  @Default.Enum("FILE")
  TextMode getTextMode();

  void setTextMode(TextMode value);

  @Description(
      "Stop at the first bad record (unparsable JSON, missing or non-string text, invalid UTF-8, unreadable file) "
          + "with an error naming the file and position, instead of counting it and writing it to OUT/rejected/.")
  @Default.Boolean(false)
  boolean getFailOnBadRecords();

  void setFailOnBadRecords(boolean value);
}
