package dev.bertforge.transforms.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.bertforge.options.InputFormat;
import dev.bertforge.options.TextMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one input file into documents, rejected records and a per-file summary. A splittable DoFn so that a long
 * read can be checkpointed and resumed ({@link ReadRangeTracker}): uncompressed line files resume by seeking,
 * Parquet files at the next row group; compressed files are read in one go (resuming would mean decompressing
 * from the start again).
 */
@DoFn.BoundedPerElement
final class ReadFileFn extends DoFn<MatchResult.Metadata, Document> {
  static final TupleTag<Document> DOCUMENTS = new TupleTag<Document>() {};
  static final TupleTag<RejectedRecord> REJECTED = new TupleTag<RejectedRecord>() {};
  static final TupleTag<KV<String, FileSummary>> FILES = new TupleTag<KV<String, FileSummary>>() {};
  /** (id, place) for every document when ids come from a field, so duplicates can be found. */
  static final TupleTag<KV<String, String>> ID_PLACES = new TupleTag<KV<String, String>>() {};

  private final InputFormat requestedFormat;
  private final TextMode textMode;
  private final String textField;
  private final @Nullable String idField;
  private final boolean failOnBadRecords;
  private final boolean keepRecords;
  private final boolean origins;
  private final String baseDirectory;
  private final @Nullable String parquetSchema;
  /** Line files take a checkpoint at most every this many bytes (16 MB): bounded memory, rare resumes. */
  private final long checkpointBytes;
  /** Files bigger than twice this are read in parts of about this size (64 MB), in parallel. */
  private final long splitBytes;

  private final Counter documents = counter(ReadMetrics.DOCUMENTS.getName());
  private final Counter textBytes = counter(ReadMetrics.TEXT_BYTES.getName());
  private final Counter blanks = counter(ReadMetrics.BLANK.getName());
  private final Counter rejected = counter(ReadMetrics.REJECTED.getName());
  private final Counter bytesRead = counter(ReadMetrics.BYTES_READ.getName());

  private transient JsonFactory json;

  ReadFileFn(ReadDocuments spec, DocumentFormat format) {
    this.requestedFormat = spec.format();
    this.textMode = spec.textMode();
    this.textField = spec.textField();
    this.idField = spec.idField();
    this.failOnBadRecords = spec.failOnBadRecords();
    this.keepRecords = spec.keepRecords();
    this.origins = spec.origins();
    this.baseDirectory = format.baseDirectory();
    this.parquetSchema = format.parquetSchema();
    this.checkpointBytes = spec.checkpointBytes();
    this.splitBytes = spec.splitBytes();
  }

  private static Counter counter(String name) {
    return Metrics.counter(ReadMetrics.NAMESPACE, name);
  }

  @Setup
  public void setup() {
    // Jackson caps strings at 20 M characters by default; a document may be as long as a record may be.
    json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(ReadDocuments.MAX_RECORD_BYTES).build())
        .build();
  }

  private InputFormat formatOf(MatchResult.Metadata file) {
    return InputFiles.formatOf(file.resourceId().toString(), requestedFormat);
  }

  private boolean isLineFile(InputFormat format) {
    return format == InputFormat.JSONL || (format == InputFormat.TEXT && textMode == TextMode.LINE);
  }

  private static boolean isCompressed(MatchResult.Metadata file) {
    return InputFiles.compressionOf(file.resourceId().toString()) != Compression.UNCOMPRESSED;
  }

  @GetInitialRestriction
  public ReadRange initialRestriction(@Element MatchResult.Metadata file) {
    InputFormat format = formatOf(file);
    if (format == InputFormat.PARQUET) {
      return new ReadRange(0, ReadRange.TO_END, 0); // row groups; rows count from 0
    }
    if (isLineFile(format) && !isCompressed(file)) {
      return new ReadRange(0, file.sizeBytes(), 1); // byte offsets; lines count from 1
    }
    return new ReadRange(0, ReadRange.TO_END, 1);
  }

  @NewTracker
  public ReadRangeTracker newTracker(@Restriction ReadRange range) {
    return new ReadRangeTracker(range);
  }

  /**
   * Splits a big file into parts read in parallel, each with the number of its first record: an uncompressed
   * line file at line starts about every {@code splitBytes} (found by one pass counting newlines), a Parquet file
   * at row groups about every {@code splitBytes} (from its footer). Compressed files stay whole.
   */
  @SplitRestriction
  public void splitRestriction(
      @Element MatchResult.Metadata file, @Restriction ReadRange range, OutputReceiver<ReadRange> out) {
    InputFormat format = formatOf(file);
    boolean whole = range.start == 0 && file.sizeBytes() > 2 * splitBytes;
    try {
      if (whole && format == InputFormat.PARQUET) {
        FileParts.parquet(file, splitBytes).forEach(out::output);
        return;
      }
      if (whole && isLineFile(format) && !isCompressed(file) && range.end == file.sizeBytes()) {
        try (InputStream in = open(file, 0)) {
          FileParts.lines(in, file.sizeBytes(), splitBytes).forEach(out::output);
        }
        return;
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: read it whole, and the read rejects it with the reason
    }
    out.output(range);
  }

  @GetRestrictionCoder
  public Coder<ReadRange> restrictionCoder() {
    return new ReadRange.RangeCoder();
  }

  @ProcessElement
  public void process(
      @Element MatchResult.Metadata file,
      RestrictionTracker<ReadRange, ReadRange.Claim> tracker,
      MultiOutputReceiver out) {
    Reading reading = new Reading(file.resourceId().toString(), out);
    InputFormat format = formatOf(file);
    if (format == InputFormat.PARQUET) {
      readParquet(file, tracker, reading);
    } else if (isLineFile(format)) {
      readLines(file, tracker, reading, format == InputFormat.JSONL);
    } else {
      readWholeText(file, tracker, reading);
    }
  }

  // Each reader below emits the per-file counts (reading.flush()) after every claim marked checkpointAfter and
  // before it claims the end: after a failed claim no output is allowed.

  // ---- JSONL and text lines ----

  private void readLines(
      MatchResult.Metadata file, RestrictionTracker<ReadRange, ReadRange.Claim> tracker, Reading reading,
      boolean jsonl) {
    ReadRange range = tracker.currentRestriction();
    boolean resumable = !isCompressed(file); // compressed bytes are counted as the channel reads them
    long line = range.firstRecord;
    long bytesSinceCheckpoint = 0;
    try (InputStream in = open(file, range.start)) {
      LineReader lines = new LineReader(in, range.start, ReadDocuments.MAX_RECORD_BYTES);
      while (lines.next()) {
        if (lines.start() >= tracker.currentRestriction().end) {
          break; // the next part of the file starts here
        }
        long length = lines.end() - lines.start();
        bytesSinceCheckpoint += length;
        boolean checkpointAfter = resumable && bytesSinceCheckpoint >= checkpointBytes;
        if (!reading.claim(tracker, new ReadRange.Claim(lines.start(), lines.end(), line + 1, checkpointAfter))) {
          return;
        }
        if (resumable) {
          bytesRead.inc(length);
        }
        if (jsonl) {
          reading.jsonLine(lines, line);
        } else {
          reading.textLine(lines, line);
        }
        line++;
        if (checkpointAfter) {
          reading.flush();
          bytesSinceCheckpoint = 0;
        }
      }
    } catch (IOException e) {
      if (!reading.claimRest(tracker)) {
        return;
      }
      reading.reject(RejectedRecord.file(reading.path, RejectReason.UNREADABLE_FILE, "at line " + line + ": " + e));
    }
    if (reading.claimRest(tracker)) { // an empty file claimed nothing yet
      reading.flush();
      tracker.tryClaim(ReadRange.Claim.END);
    }
  }

  /** Opens the file at an offset of its (decompressed) content. */
  private InputStream open(MatchResult.Metadata file, long offset) throws IOException {
    ReadableByteChannel channel = FileSystems.open(file.resourceId());
    Compression compression = InputFiles.compressionOf(file.resourceId().toString());
    if (compression == Compression.UNCOMPRESSED) {
      if (offset > 0) {
        if (!(channel instanceof SeekableByteChannel)) {
          channel.close();
          throw new IOException("this filesystem cannot seek to resume reading at byte " + offset);
        }
        ((SeekableByteChannel) channel).position(offset);
      }
      return Channels.newInputStream(channel);
    }
    InputStream in =
        Channels.newInputStream(compression.readDecompressed(new CountingChannel(channel, bytesRead)));
    in.skipNBytes(offset);
    return in;
  }

  // ---- one text file per document ----

  private void readWholeText(
      MatchResult.Metadata file, RestrictionTracker<ReadRange, ReadRange.Claim> tracker, Reading reading) {
    if (!reading.claimRest(tracker)) {
      return;
    }
    try (InputStream in = open(file, 0)) {
      byte[] bytes = in.readNBytes(ReadDocuments.MAX_RECORD_BYTES + 1);
      if (!isCompressed(file)) {
        bytesRead.inc(bytes.length);
      }
      reading.wholeText(bytes);
    } catch (IOException e) {
      reading.reject(RejectedRecord.file(reading.path, RejectReason.UNREADABLE_FILE, e.toString()));
    }
    reading.flush();
  }

  // ---- Parquet ----

  private void readParquet(
      MatchResult.Metadata file, RestrictionTracker<ReadRange, ReadRange.Claim> tracker, Reading reading) {
    ReadRange range = tracker.currentRestriction();
    long row = range.firstRecord;
    try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      RejectedRecord problem = schemaProblem(reading.path, schema);
      if (problem != null) {
        if (!reading.claimRest(tracker)) {
          return;
        }
        if (range.start == 0) { // the first part of a split file speaks for the whole file
          reading.reject(problem);
        }
      } else {
        MessageType projection = keepRecords ? schema : projection(schema);
        reader.setRequestedSchema(projection);
        MessageColumnIO columns =
            new ColumnIOFactory(reader.getFooter().getFileMetaData().getCreatedBy())
                .getColumnIO(projection, schema, true);
        List<BlockMetaData> rowGroups = reader.getRowGroups();
        for (long skipped = 0; skipped < range.start && skipped < rowGroups.size(); skipped++) {
          reader.skipNextRowGroup();
        }
        ParquetFields fields = new ParquetFields(projection);
        for (long group = range.start; group < rowGroups.size(); group++) {
          if (group >= tracker.currentRestriction().end) {
            break; // the next part of the file starts here
          }
          BlockMetaData block = rowGroups.get((int) group);
          if (!reading.claim(tracker, new ReadRange.Claim(group, group + 1, row + block.getRowCount(), true))) {
            return;
          }
          PageReadStore pages = reader.readNextRowGroup();
          RecordReader<Group> records = columns.getRecordReader(pages, new GroupRecordConverter(projection));
          for (long i = 0; i < block.getRowCount(); i++, row++) {
            reading.parquetRow(records.read(), row, fields);
          }
          bytesRead.inc(block.getCompressedSize());
          reading.flush();
        }
      }
    } catch (BadInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (!reading.claimRest(tracker)) {
        return;
      }
      reading.reject(RejectedRecord.file(reading.path, RejectReason.UNREADABLE_FILE, "at row " + row + ": " + e));
    }
    if (reading.claimRest(tracker)) { // an empty file claimed nothing yet
      reading.flush();
      tracker.tryClaim(ReadRange.Claim.END);
    }
  }

  private @Nullable RejectedRecord schemaProblem(String path, MessageType schema) {
    if (!schema.containsField(textField)) {
      return RejectedRecord.file(path, RejectReason.MISSING_TEXT,
          "no column '" + textField + "' (columns: " + columnNames(schema) + ")");
    }
    if (!isString(schema.getType(textField))) {
      return RejectedRecord.file(path, RejectReason.TEXT_NOT_STRING,
          "column '" + textField + "' is " + schema.getType(textField).toString().trim());
    }
    if (idField != null) {
      if (!schema.containsField(idField)) {
        return RejectedRecord.file(path, RejectReason.MISSING_ID,
            "no column '" + idField + "' (columns: " + columnNames(schema) + ")");
      }
      Type id = schema.getType(idField);
      if (!(isString(id) || isInteger(id))) {
        return RejectedRecord.file(path, RejectReason.BAD_ID,
            "column '" + idField + "' is " + id.toString().trim() + ", not a string or integer");
      }
    }
    if (keepRecords && parquetSchema != null && !schema.toString().equals(parquetSchema)) {
      return RejectedRecord.file(path, RejectReason.SCHEMA_MISMATCH,
          "its schema differs from the first file's; read files of one schema at a time");
    }
    return null;
  }

  private static boolean isString(Type type) {
    return type.isPrimitive()
        && !type.isRepetition(Type.Repetition.REPEATED)
        && type.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY;
  }

  private static boolean isInteger(Type type) {
    if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
      return false;
    }
    PrimitiveTypeName name = type.asPrimitiveType().getPrimitiveTypeName();
    return name == PrimitiveTypeName.INT32 || name == PrimitiveTypeName.INT64;
  }

  private static String columnNames(MessageType schema) {
    List<String> names = new ArrayList<>();
    for (Type field : schema.getFields()) {
      names.add(field.getName());
    }
    return String.join(", ", names);
  }

  /** Only the columns a document needs, when the records are not kept. */
  private MessageType projection(MessageType schema) {
    List<Type> fields = new ArrayList<>();
    fields.add(schema.getType(textField));
    if (idField != null) {
      fields.add(schema.getType(idField));
    }
    return new MessageType(schema.getName(), fields);
  }

  /** Where the text and id are in a row of the read schema. */
  private final class ParquetFields {
    final int text;
    final int id;
    final boolean integerId;

    ParquetFields(MessageType readSchema) {
      this.text = readSchema.getFieldIndex(textField);
      this.id = idField == null ? -1 : readSchema.getFieldIndex(idField);
      this.integerId = idField != null && isInteger(readSchema.getType(idField));
    }
  }

  // ---- shared ----

  private static boolean isBlank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f' && b != 0x0b) {
        return false;
      }
    }
    return true;
  }

  /** The state of one {@code process} call: where outputs go and what was counted for the file. */
  private final class Reading {
    final String path;
    final String relativePath;
    final MultiOutputReceiver out;
    final JsonlRecord record = new JsonlRecord();
    long documentCount;
    long rejectedCount;
    long blankCount;
    long textByteCount;
    boolean flushed;
    /** Whether this call has claimed anything: outputs need a successful claim first. */
    boolean claimed;

    Reading(String path, MultiOutputReceiver out) {
      this.path = path;
      this.relativePath = InputFiles.relativePath(path, baseDirectory);
      this.out = out;
    }

    boolean claim(RestrictionTracker<ReadRange, ReadRange.Claim> tracker, ReadRange.Claim claim) {
      boolean ok = tracker.tryClaim(claim);
      claimed |= ok;
      return ok;
    }

    /** Claims the rest of the range as one unit, unless something was claimed already; false if it is empty. */
    boolean claimRest(RestrictionTracker<ReadRange, ReadRange.Claim> tracker) {
      if (claimed) {
        return true;
      }
      ReadRange range = tracker.currentRestriction();
      return claim(tracker, new ReadRange.Claim(range.start, ReadRange.TO_END, range.firstRecord, false));
    }

    void wholeText(byte[] bytes) {
      if (bytes.length > ReadDocuments.MAX_RECORD_BYTES) {
        reject(RejectedRecord.file(path, RejectReason.RECORD_TOO_LARGE,
            "longer than " + ReadDocuments.MAX_RECORD_BYTES + " bytes"));
        return;
      }
      int invalid = Utf8.firstInvalid(bytes, 0, bytes.length);
      if (invalid >= 0) {
        reject(RejectedRecord.file(path, RejectReason.INVALID_UTF8, "at byte " + invalid));
        return;
      }
      int start = Utf8.hasBom(bytes, bytes.length) ? 3 : 0;
      if (isBlank(bytes, start, bytes.length)) {
        blank();
        return;
      }
      document(relativePath, new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8), null, path, 0);
    }

    /**
     * Counts a too-long, blank or invalid-UTF-8 line; else returns where its content starts (after a BOM on the
     * first line), or -1.
     */
    private int contentStart(LineReader line, long number) {
      if (line.tooLong()) {
        reject(RejectedRecord.line(path, number, RejectReason.RECORD_TOO_LARGE,
            "longer than " + ReadDocuments.MAX_RECORD_BYTES + " bytes"));
        return -1;
      }
      byte[] bytes = line.bytes();
      int length = line.length();
      int start = number == 1 && Utf8.hasBom(bytes, length) ? 3 : 0;
      if (isBlank(bytes, start, length)) {
        blank();
        return -1;
      }
      int invalid = Utf8.firstInvalid(bytes, start, length - start);
      if (invalid >= 0) {
        reject(RejectedRecord.line(path, number, RejectReason.INVALID_UTF8, "at byte " + (start + invalid)));
        return -1;
      }
      return start;
    }

    void jsonLine(LineReader line, long number) {
      int start = contentStart(line, number);
      if (start < 0) {
        return;
      }
      byte[] bytes = line.bytes();
      int length = line.length();
      if (!record.parse(json, bytes, start, length - start, textField, idField)) {
        reject(RejectedRecord.line(path, number, record.reason, record.detail));
        return;
      }
      if (record.text.isBlank()) {
        blank();
        return;
      }
      String id = record.id != null ? record.id : relativePath + ":" + number;
      byte[] kept = keepRecords ? Arrays.copyOfRange(bytes, start, length) : null;
      document(id, record.text, kept, path + ":" + number, line.start());
    }

    void textLine(LineReader line, long number) {
      int start = contentStart(line, number);
      if (start < 0) {
        return;
      }
      String text = new String(line.bytes(), start, line.length() - start, StandardCharsets.UTF_8);
      document(relativePath + ":" + number, text, null, path + ":" + number, line.start());
    }

    void parquetRow(Group row, long number, ParquetFields fields) {
      if (row.getFieldRepetitionCount(fields.text) == 0) {
        reject(RejectedRecord.row(path, number, RejectReason.MISSING_TEXT, "'" + textField + "' is null"));
        return;
      }
      Binary textValue = row.getBinary(fields.text, 0);
      String text = decodeOrNull(textValue);
      if (text == null) {
        reject(RejectedRecord.row(path, number, RejectReason.INVALID_UTF8, "in '" + textField + "'"));
        return;
      }
      if (text.isBlank()) {
        blank();
        return;
      }
      String id = relativePath + ":" + number;
      if (fields.id >= 0) {
        if (row.getFieldRepetitionCount(fields.id) == 0) {
          reject(RejectedRecord.row(path, number, RejectReason.MISSING_ID, "'" + idField + "' is null"));
          return;
        }
        if (fields.integerId) {
          id = row.getValueToString(fields.id, 0);
        } else {
          id = decodeOrNull(row.getBinary(fields.id, 0));
          if (id == null) {
            reject(RejectedRecord.row(path, number, RejectReason.INVALID_UTF8, "in '" + idField + "'"));
            return;
          }
        }
      }
      document(id, text, keepRecords ? ParquetRows.encode(row) : null, path + " row " + number, number);
    }

    private @Nullable String decodeOrNull(Binary value) {
      byte[] bytes = value.getBytesUnsafe();
      return Utf8.firstInvalid(bytes, 0, bytes.length) >= 0 ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code place} names the record in messages; {@code position} is its {@link Document#position()}. */
    void document(String id, String text, byte @Nullable [] kept, String place, long position) {
      long bytes = Utf8.encodedLength(text);
      documentCount++;
      textByteCount += bytes;
      documents.inc();
      textBytes.inc(bytes);
      out.get(DOCUMENTS).output(origins ? Document.of(id, text, kept, path, position) : Document.of(id, text, kept));
      if (idField != null) {
        out.get(ID_PLACES).output(KV.of(id, place));
      }
    }

    void reject(RejectedRecord bad) {
      if (failOnBadRecords) {
        throw new BadInputException("bad record at " + bad.describe());
      }
      rejectedCount++;
      rejected.inc();
      Metrics.counter(ReadMetrics.NAMESPACE, ReadMetrics.rejected(bad.reason()).getName()).inc();
      out.get(REJECTED).output(bad);
    }

    void blank() {
      blankCount++;
      blanks.inc();
    }

    /** Emits the counts since the last flush (always once per read, so every file has a summary). */
    void flush() {
      if (flushed && documentCount + rejectedCount + blankCount == 0) {
        return;
      }
      out.get(FILES).output(
          KV.of(path, new FileSummary(path, documentCount, rejectedCount, blankCount, textByteCount)));
      flushed = true;
      documentCount = 0;
      rejectedCount = 0;
      blankCount = 0;
      textByteCount = 0;
    }
  }
}
