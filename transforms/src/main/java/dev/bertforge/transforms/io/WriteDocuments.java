package dev.bertforge.transforms.io;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import com.google.auto.value.AutoValue;
import dev.bertforge.options.InputFormat;
import dev.bertforge.options.TextMode;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes documents back in the format they were read in, with every field of every input record:
 *
 * <ul>
 *   <li>JSONL: each document's original line, byte for byte (documents made in code, without a record, become
 *       {@code {"<idField or id>": …, "<textField>": …}}), compressed as the first input file was;
 *   <li>Parquet: each original row, with the first input file's schema, codec and key-value metadata (so pyarrow
 *       reads back the same Arrow types);
 *   <li>text lines: one line per document; text files: one file per document at its id (the input-relative
 *       path), mirroring the input's tree.
 * </ul>
 *
 * <p>Except for text files, output is {@code DIR/PREFIX-SSSSS-of-NNNNN.EXT} with NNNNN = {@link #withNumShards}, by
 * default about one file per 256 MB of input. Usage: {@code
 * documents.apply(WriteDocuments.likeInput(read).to(output + "/kept"))}, with {@code read} the {@link
 * ReadDocuments.Result} the documents came from (read with records, i.e. without {@link
 * ReadDocuments#withoutRecords()}, for Parquet).
 */
@AutoValue
public abstract class WriteDocuments extends PTransform<PCollection<Document>, PDone> {
  abstract DocumentFormat documentFormat();

  abstract @Nullable String directory();

  abstract int numShards();

  abstract String prefix();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setDocumentFormat(DocumentFormat value);

    abstract Builder setDirectory(@Nullable String value);

    abstract Builder setNumShards(int value);

    abstract Builder setPrefix(String value);

    abstract WriteDocuments build();
  }

  /** Writes in the format, compression and (Parquet) schema of the input that {@code read} read. */
  public static WriteDocuments likeInput(ReadDocuments.Result read) {
    return as(read.format());
  }

  public static WriteDocuments as(DocumentFormat format) {
    checkArgumentNotNull(format, "format");
    if (format.format() == InputFormat.AUTO) {
      throw new IllegalArgumentException("a DocumentFormat names one format, not auto");
    }
    return new AutoValue_WriteDocuments.Builder()
        .setDocumentFormat(format)
        .setNumShards(0)
        .setPrefix("documents")
        .build();
  }

  /** The output directory, on any Beam filesystem. */
  public WriteDocuments to(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("the output directory must be a path, not blank");
    }
    return toBuilder().setDirectory(directory).build();
  }

  /** The number of output files; 0 (the default) picks about one per 256 MB of input. */
  public WriteDocuments withNumShards(int shards) {
    if (shards < 0) {
      throw new IllegalArgumentException("numShards must be 0 (automatic) or more, not " + shards);
    }
    return toBuilder().setNumShards(shards).build();
  }

  /** The output files' name prefix, {@code documents} by default. */
  public WriteDocuments withPrefix(String prefix) {
    if (prefix == null || prefix.isBlank() || prefix.contains("/")) {
      throw new IllegalArgumentException("prefix must be a file name prefix, not '" + prefix + "'");
    }
    return toBuilder().setPrefix(prefix).build();
  }

  @Override
  public PDone expand(PCollection<Document> documents) {
    String directory = directory();
    if (directory == null) {
      throw new IllegalStateException("WriteDocuments needs .to(directory)");
    }
    DocumentFormat format = documentFormat();
    if (format.format() == InputFormat.TEXT && format.textMode() == TextMode.FILE) {
      documents.apply("WriteTextFiles", ParDo.of(new WriteTextFileFn(directory)));
      return PDone.in(documents.getPipeline());
    }
    int shards = numShards() > 0 ? numShards() : format.suggestedShards();
    FileIO.Write<Void, Document> write;
    switch (format.format()) {
      case JSONL:
        write = FileIO.<Document>write().via(new JsonlSink(format)).withSuffix(".jsonl")
            .withCompression(format.compression());
        break;
      case PARQUET:
        write = FileIO.<Document>write().via(new ParquetSink(format)).withSuffix(".parquet")
            .withCompression(Compression.UNCOMPRESSED);
        break;
      default:
        write = FileIO.<Document>write().via(new TextLineSink()).withSuffix(".txt")
            .withCompression(format.compression());
    }
    documents.apply("WriteFiles", write.to(directory).withPrefix(prefix()).withNumShards(shards));
    return PDone.in(documents.getPipeline());
  }
}
