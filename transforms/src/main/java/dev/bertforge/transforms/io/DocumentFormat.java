package dev.bertforge.transforms.io;

import com.google.auto.value.AutoValue;
import dev.bertforge.options.InputFormat;
import dev.bertforge.options.TextMode;
import java.io.Serializable;
import java.util.Map;
import org.apache.beam.sdk.io.Compression;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How an input's documents are laid out in files, as {@link ReadDocuments} found it when the pipeline was built:
 * what {@link WriteDocuments} needs to write documents back the same way (format, compression, Parquet schema,
 * codec and file metadata), and the input's size for choosing a number of output files.
 */
@AutoValue
public abstract class DocumentFormat implements Serializable {
  /** JSONL, PARQUET or TEXT (never AUTO). */
  public abstract InputFormat format();

  public abstract TextMode textMode();

  /** The first input file's compression (JSONL and text); UNCOMPRESSED for Parquet. */
  public abstract Compression compression();

  public abstract String textField();

  public abstract @Nullable String idField();

  /** The first Parquet file's schema, as {@code MessageType.toString()}; null for other formats. */
  public abstract @Nullable String parquetSchema();

  /** The first Parquet file's compression codec name (e.g. SNAPPY, ZSTD); null for other formats. */
  public abstract @Nullable String parquetCodec();

  /** The first Parquet file's key-value metadata (e.g. pyarrow's ARROW:schema), copied to written files. */
  public abstract Map<String, String> parquetMetadata();

  /** The directory ids and relative paths are relative to (ends with a separator). */
  public abstract String baseDirectory();

  public abstract int inputFiles();

  /** Total size of the input files as stored. */
  public abstract long inputBytes();

  public abstract Builder toBuilder();

  public static Builder builder() {
    return new AutoValue_DocumentFormat.Builder()
        .setTextMode(TextMode.FILE)
        .setCompression(Compression.UNCOMPRESSED)
        .setTextField("text")
        .setParquetMetadata(Map.of())
        .setBaseDirectory("")
        .setInputFiles(0)
        .setInputBytes(0);
  }

  /** About one output file per 256 MB of input, at least one. */
  public int suggestedShards() {
    long perShard = 256L << 20;
    return (int) Math.max(1, Math.min(100_000, (inputBytes() + perShard - 1) / perShard));
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setFormat(InputFormat value);

    public abstract Builder setTextMode(TextMode value);

    public abstract Builder setCompression(Compression value);

    public abstract Builder setTextField(String value);

    public abstract Builder setIdField(@Nullable String value);

    public abstract Builder setParquetSchema(@Nullable String value);

    public abstract Builder setParquetCodec(@Nullable String value);

    public abstract Builder setParquetMetadata(Map<String, String> value);

    public abstract Builder setBaseDirectory(String value);

    public abstract Builder setInputFiles(int value);

    public abstract Builder setInputBytes(long value);

    public abstract DocumentFormat build();
  }
}
