package dev.bertforge.transforms.io;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import com.google.auto.value.AutoValue;
import dev.bertforge.options.DocumentInputOptions;
import dev.bertforge.options.InputFormat;
import dev.bertforge.options.OptionChecks;
import dev.bertforge.options.TextMode;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a corpus into {@link Document}s: JSONL (plain, {@code .gz}, {@code .zst}, …), Parquet of any schema, or
 * plain text (a document per file or per line), from a path or glob on any Beam filesystem.
 *
 * <pre>{@code
 * ReadDocuments.Result read = pipeline.apply(ReadDocuments.from(options));   // or .from("data/*.jsonl.gz")
 * read.documents()   // PCollection<Document>: id, text, and the original record
 * read.rejected()    // PCollection<RejectedRecord>: bad records and unreadable files, with the reason
 * read.rejected().apply(WriteRejected.to(output));            // OUT/rejected/*.jsonl
 * ...apply(WriteDocuments.likeInput(read).to(output + "/kept"));  // same format, fields and compression
 * }</pre>
 *
 * <p><b>Ids</b> come from {@link #withIdField} (a string or integer field that must be unique: a duplicate fails
 * the run naming both places), else from the position: {@code path:line} (JSONL and text lines, from 1), {@code
 * path:row} (Parquet, from 0) or {@code path} (a text file per document), the path relative to the input's
 * directory (the glob's part before its first wildcard).
 *
 * <p><b>Bad input</b> is never dropped silently: a line that is not a JSON object, a missing or non-string text,
 * invalid UTF-8, a record over {@link #MAX_RECORD_BYTES}, an unreadable or corrupt file each become a {@link
 * RejectedRecord} and count in {@link ReadMetrics}; blank lines and files are counted as {@code blank}. Per file,
 * records = documents + rejected + blank. With {@link #withFailOnBadRecords} the first bad record stops the run
 * with a {@link BadInputException} naming the file and position.
 *
 * <p><b>Parallelism</b>: files are read in parallel, and so are the parts of big files: an uncompressed JSONL or
 * text-line file is cut at line starts every 64 MB (after one pass counting its lines, so ids stay {@code
 * path:line}), a Parquet file at row groups every 64 MB. A compressed file is read by one worker: shard big
 * compressed corpora. Long reads are checkpointed (line files every 16 MB, Parquet every row group), so memory
 * stays bounded on runners that hold a bundle's output. The input is matched once when the pipeline is built, to learn its format (and for
 * Parquet the first file's schema) for {@link WriteDocuments}.
 */
@AutoValue
public abstract class ReadDocuments extends PTransform<PBegin, ReadDocuments.Result> {
  /** Longer records (lines, text files, Parquet values) are rejected as {@code record_too_large}. */
  public static final int MAX_RECORD_BYTES = 256 << 20;

  abstract String input();

  abstract InputFormat format();

  abstract String textField();

  abstract @Nullable String idField();

  abstract TextMode textMode();

  abstract boolean failOnBadRecords();

  abstract boolean keepRecords();

  abstract boolean origins();

  /** Bytes of an uncompressed line file read before a checkpoint may be taken (tests make it small). */
  abstract long checkpointBytes();

  /** Files bigger than twice this are read in parts of about this size, in parallel (tests make it small). */
  abstract long splitBytes();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setInput(String value);

    abstract Builder setFormat(InputFormat value);

    abstract Builder setTextField(String value);

    abstract Builder setIdField(@Nullable String value);

    abstract Builder setTextMode(TextMode value);

    abstract Builder setFailOnBadRecords(boolean value);

    abstract Builder setKeepRecords(boolean value);

    abstract Builder setOrigins(boolean value);

    abstract Builder setCheckpointBytes(long value);

    abstract Builder setSplitBytes(long value);

    abstract ReadDocuments build();
  }

  /** Reads a path, a directory (ending in {@code /}) or a glob; format from the extensions, text in "text". */
  public static ReadDocuments from(String input) {
    checkArgumentNotNull(input, "input");
    if (input.isBlank()) {
      throw new IllegalArgumentException("input must be a path or glob, not blank");
    }
    return new AutoValue_ReadDocuments.Builder()
        .setInput(input)
        .setFormat(InputFormat.AUTO)
        .setTextField("text")
        .setTextMode(TextMode.FILE)
        .setFailOnBadRecords(false)
        .setKeepRecords(true)
        .setOrigins(false)
        .setCheckpointBytes(16L << 20)
        .setSplitBytes(64L << 20)
        .build();
  }

  /** Reads what {@code --input}, {@code --format}, {@code --textField}, … say. */
  public static ReadDocuments from(DocumentInputOptions options) {
    OptionChecks.check(options);
    return from(options.getInput())
        .withFormat(options.getFormat())
        .withTextField(options.getTextField())
        .withIdField(options.getIdField())
        .withTextMode(options.getTextMode())
        .withFailOnBadRecords(options.getFailOnBadRecords());
  }

  public ReadDocuments withFormat(InputFormat format) {
    checkArgumentNotNull(format, "format");
    return toBuilder().setFormat(format).build();
  }

  public ReadDocuments withTextField(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("textField must be a field name, not blank");
    }
    return toBuilder().setTextField(field).build();
  }

  /** The field holding a unique id; null derives ids from positions. */
  public ReadDocuments withIdField(@Nullable String field) {
    if (field != null && field.isBlank()) {
      throw new IllegalArgumentException("idField must be a field name or null, not blank");
    }
    return toBuilder().setIdField(field).build();
  }

  public ReadDocuments withTextMode(TextMode mode) {
    checkArgumentNotNull(mode, "textMode");
    return toBuilder().setTextMode(mode).build();
  }

  public ReadDocuments withFailOnBadRecords(boolean fail) {
    return toBuilder().setFailOnBadRecords(fail).build();
  }

  /**
   * Leaves {@link Document#record()} null: for pipelines that never write documents back (stats, tokenizer
   * training). Less to carry, and Parquet reads only the text and id columns.
   */
  public ReadDocuments withoutRecords() {
    return toBuilder().setKeepRecords(false).build();
  }

  /**
   * Sets {@link Document#file()} and {@link Document#position()}: for pipelines that carry small records and copy
   * the chosen input records at the end ({@link CopyRecords}), usually together with {@link #withoutRecords()}.
   */
  public ReadDocuments withOrigins() {
    return toBuilder().setOrigins(true).build();
  }

  ReadDocuments withCheckpointBytes(long bytes) {
    return toBuilder().setCheckpointBytes(bytes).build();
  }

  ReadDocuments withSplitBytes(long bytes) {
    return toBuilder().setSplitBytes(bytes).build();
  }

  @Override
  public Result expand(PBegin begin) {
    if (idField() != null && idField().equals(textField())) {
      throw new IllegalArgumentException("idField and textField must differ, both are '" + textField() + "'");
    }
    Pipeline pipeline = begin.getPipeline();
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    DocumentFormat format = InputFiles.describe(input(), format(), textMode(), textField(), idField());

    PCollection<MatchResult.Metadata> files =
        begin
            .apply("Match", FileIO.match().filepattern(InputFiles.glob(input()))
                .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply("SkipHiddenAndCount", ParDo.of(new SkipHiddenAndCountFn(format.baseDirectory())));

    PCollectionTuple read =
        files.apply(
            "ReadFiles",
            ParDo.of(new ReadFileFn(this, format))
                .withOutputTags(
                    ReadFileFn.DOCUMENTS,
                    TupleTagList.of(ReadFileFn.REJECTED).and(ReadFileFn.FILES).and(ReadFileFn.ID_PLACES)));
    PCollection<Document> documents = read.get(ReadFileFn.DOCUMENTS).setCoder(Document.DocumentCoder.of());
    PCollection<RejectedRecord> rejected =
        read.get(ReadFileFn.REJECTED).setCoder(RejectedRecord.RejectedRecordCoder.of());
    PCollection<FileSummary> summaries =
        read.get(ReadFileFn.FILES)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), FileSummary.FileSummaryCoder.of()))
            .apply("SumPerFile", Combine.perKey(FileSummary::plus))
            .apply("Summaries", Values.create());
    PCollection<KV<String, String>> idPlaces =
        read.get(ReadFileFn.ID_PLACES).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    if (idField() != null) {
      idPlaces.apply("CheckIdsUnique", new UniqueIds());
    }
    return new Result(pipeline, documents, rejected, summaries, format);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("input", input()))
        .add(DisplayData.item("format", format().toString()))
        .add(DisplayData.item("textField", textField()))
        .addIfNotNull(DisplayData.item("idField", idField()))
        .add(DisplayData.item("textMode", textMode().toString()))
        .add(DisplayData.item("failOnBadRecords", failOnBadRecords()))
        .add(DisplayData.item("keepRecords", keepRecords()))
        .add(DisplayData.item("origins", origins()));
  }

  /** Drops files whose path below the input's directory has a part starting with '.' or '_'; counts the rest. */
  static final class SkipHiddenAndCountFn extends DoFn<MatchResult.Metadata, MatchResult.Metadata> {
    private final String baseDirectory;
    private final Counter files = Metrics.counter(ReadMetrics.NAMESPACE, ReadMetrics.FILES_MATCHED.getName());
    private final Counter bytes = Metrics.counter(ReadMetrics.NAMESPACE, ReadMetrics.BYTES_MATCHED.getName());

    SkipHiddenAndCountFn(String baseDirectory) {
      this.baseDirectory = baseDirectory;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<MatchResult.Metadata> out) {
      if (file.resourceId().isDirectory() || InputFiles.isHidden(file.resourceId().toString(), baseDirectory)) {
        return;
      }
      files.inc();
      bytes.inc(file.sizeBytes());
      out.output(file);
    }
  }

  /** What {@link ReadDocuments} gives: documents, rejected records, per-file summaries, and the input's format. */
  public static final class Result implements POutput {
    private static final TupleTag<Document> DOCUMENTS = new TupleTag<>("documents");
    private static final TupleTag<RejectedRecord> REJECTED = new TupleTag<>("rejected");
    private static final TupleTag<FileSummary> FILES = new TupleTag<>("files");

    private final Pipeline pipeline;
    private final PCollection<Document> documents;
    private final PCollection<RejectedRecord> rejected;
    private final PCollection<FileSummary> files;
    private final DocumentFormat format;

    Result(
        Pipeline pipeline,
        PCollection<Document> documents,
        PCollection<RejectedRecord> rejected,
        PCollection<FileSummary> files,
        DocumentFormat format) {
      this.pipeline = pipeline;
      this.documents = documents;
      this.rejected = rejected;
      this.files = files;
      this.format = format;
    }

    public PCollection<Document> documents() {
      return documents;
    }

    public PCollection<RejectedRecord> rejected() {
      return rejected;
    }

    /** One summary per input file: documents, rejected, blank, text bytes. */
    public PCollection<FileSummary> files() {
      return files;
    }

    /** The input's format, compression and (Parquet) schema, for {@link WriteDocuments#likeInput}. */
    public DocumentFormat format() {
      return format;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(DOCUMENTS, documents, REJECTED, rejected, FILES, files);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
  }
}
