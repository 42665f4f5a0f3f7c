package dev.bertforge.transforms.io;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.bertforge.options.InputFormat;
import dev.bertforge.options.TextMode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Copies chosen records of the input, given by their origins ({@code KV(file, position)}, see {@link
 * Document#position()}), byte for byte into files that mirror the input: {@code DIR/<path relative to the input's
 * directory>}, in the input file's format and compression, records in input order. A pipeline that read {@link
 * ReadDocuments#withOrigins() with origins} carries small records and writes its chosen documents at the end with
 * every field, without shuffling them.
 *
 * <pre>{@code
 * keptOrigins.apply(CopyRecords.of(read.format()).to(output + "/kept"));
 * }</pre>
 *
 * <p>JSONL and text lines: each chosen line without its terminator (and without a byte-order mark), then
 * {@code \n}. An uncompressed line file bigger than {@code partBytes} (64 MB) is copied in parts, in parallel,
 * into {@code name-PPPPP-of-NNNNN.ext}, part p holding the lines that start in its 64 MB of the input. Parquet: the
 * chosen rows with the file's schema, codec and key-value metadata. Text files (one document per file): the text
 * without a byte-order mark. Files without a chosen record are not written.
 */
public final class CopyRecords extends PTransform<PCollection<KV<String, Long>>, PDone> {
  public static final String RECORDS_COPIED = "records_copied";

  private final DocumentFormat format;
  private final String directory;
  private final long partBytes;

  private CopyRecords(DocumentFormat format, String directory, long partBytes) {
    this.format = format;
    this.directory = directory;
    this.partBytes = partBytes;
  }

  /** Copies records of the input described by {@code format} (e.g. {@code ReadDocuments.Result#format()}). */
  public static CopyRecords of(DocumentFormat format) {
    checkArgumentNotNull(format, "format");
    if (format.format() == InputFormat.AUTO) {
      throw new IllegalArgumentException("a DocumentFormat names one format, not auto");
    }
    return new CopyRecords(format, "", 64L << 20);
  }

  /** The output directory, on any Beam filesystem. */
  public CopyRecords to(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("the output directory must be a path, not blank");
    }
    return new CopyRecords(format, directory, partBytes);
  }

  CopyRecords withPartBytes(long bytes) {
    return new CopyRecords(format, directory, bytes);
  }

  @Override
  public PDone expand(PCollection<KV<String, Long>> origins) {
    if (directory.isEmpty()) {
      throw new IllegalStateException("CopyRecords needs .to(directory)");
    }
    origins
        .apply("By part", ParDo.of(new PartFn(this)))
        .setCoder(KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), VarLongCoder.of()))
        .apply("Group by part", GroupByKey.create())
        .apply("Copy", ParDo.of(new CopyFn(this)));
    return PDone.in(origins.getPipeline());
  }

  private boolean isLineFormat() {
    return format.format() == InputFormat.JSONL
        || (format.format() == InputFormat.TEXT && format.textMode() == TextMode.LINE);
  }

  /** Whether a file is copied in parts: uncompressed line files. */
  private boolean inParts(String file) {
    return isLineFormat() && InputFiles.compressionOf(file) == Compression.UNCOMPRESSED;
  }

  static final class PartFn extends DoFn<KV<String, Long>, KV<KV<String, Integer>, Long>> {
    private final CopyRecords spec;

    PartFn(CopyRecords spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> origin, OutputReceiver<KV<KV<String, Integer>, Long>> out) {
      String file = origin.getKey();
      int part = spec.inParts(file) ? (int) (origin.getValue() / spec.partBytes) : 0;
      out.output(KV.of(KV.of(file, part), origin.getValue()));
    }
  }

  static final class CopyFn extends DoFn<KV<KV<String, Integer>, Iterable<Long>>, Void> {
    private final CopyRecords spec;
    private final Counter copied = Metrics.counter(ReadMetrics.NAMESPACE, RECORDS_COPIED);

    CopyFn(CopyRecords spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<KV<String, Integer>, Iterable<Long>> part) throws IOException {
      String file = part.getKey().getKey();
      long[] positions = sortedDistinct(part.getValue());
      MatchResult.Metadata metadata = FileSystems.matchSingleFileSpec(file);
      int parts = spec.inParts(file) ? (int) Math.max(1, (metadata.sizeBytes() + spec.partBytes - 1) / spec.partBytes) : 1;
      String relative = InputFiles.relativePath(file, spec.format.baseDirectory());
      ResourceId target =
          WriteTextFileFn.resolve(spec.directory, parts == 1 ? relative : partName(relative, part.getKey().getValue(), parts));
      if (spec.format.format() == InputFormat.PARQUET) {
        copyRows(metadata, positions, target);
      } else if (spec.isLineFormat()) {
        copyLines(metadata, positions, target);
      } else {
        copyText(metadata, target);
      }
      copied.inc(positions.length);
    }

    private void copyLines(MatchResult.Metadata file, long[] positions, ResourceId target) throws IOException {
      Compression compression = InputFiles.compressionOf(file.resourceId().toString());
      try (InputStream in = open(file, compression, positions[0]);
          OutputStream out = create(target, compression)) {
        LineReader lines = new LineReader(in, positions[0], ReadDocuments.MAX_RECORD_BYTES);
        int next = 0;
        while (next < positions.length && lines.next()) {
          if (lines.start() < positions[next]) {
            continue;
          }
          if (lines.start() > positions[next] || lines.tooLong()) {
            break;
          }
          byte[] bytes = lines.bytes();
          int start = lines.start() == 0 && Utf8.hasBom(bytes, lines.length()) ? 3 : 0;
          out.write(bytes, start, lines.length() - start);
          out.write('\n');
          next++;
        }
        if (next < positions.length) {
          throw changed(file, "no record starts at byte " + positions[next]);
        }
      }
    }

    private static InputStream open(MatchResult.Metadata file, Compression compression, long offset)
        throws IOException {
      ReadableByteChannel channel = FileSystems.open(file.resourceId());
      if (compression == Compression.UNCOMPRESSED) {
        if (offset > 0) {
          if (!(channel instanceof SeekableByteChannel)) {
            channel.close();
            throw new IOException("this filesystem cannot seek to byte " + offset + " of " + file.resourceId());
          }
          ((SeekableByteChannel) channel).position(offset);
        }
        return Channels.newInputStream(channel);
      }
      InputStream in = Channels.newInputStream(compression.readDecompressed(channel));
      in.skipNBytes(offset);
      return in;
    }

    private static OutputStream create(ResourceId target, Compression compression) throws IOException {
      WritableByteChannel channel = compression.writeCompressed(FileSystems.create(target, "application/octet-stream"));
      return new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    private void copyRows(MatchResult.Metadata file, long[] positions, ResourceId target) throws IOException {
      try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(file));
          WritableByteChannel channel = FileSystems.create(target, "application/octet-stream")) {
        FileMetaData footer = reader.getFooter().getFileMetaData();
        MessageType schema = footer.getSchema();
        Map<String, String> metadata = new LinkedHashMap<>(footer.getKeyValueMetaData());
        metadata.remove("writer.model.name"); // the writer sets its own
        String codec = "SNAPPY";
        for (BlockMetaData block : reader.getRowGroups()) {
          if (!block.getColumns().isEmpty()) {
            codec = block.getColumns().get(0).getCodec().name();
            break;
          }
        }
        MessageColumnIO columns = new ColumnIOFactory(footer.getCreatedBy()).getColumnIO(schema);
        try (ParquetWriter<Group> writer =
            ExampleParquetWriter.builder(new ChannelOutputFile(channel))
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.valueOf(codec))
                .withExtraMetaData(metadata)
                .build()) {
          long row = 0;
          int next = 0;
          for (BlockMetaData block : reader.getRowGroups()) {
            if (next == positions.length) {
              break;
            }
            if (row + block.getRowCount() <= positions[next]) {
              reader.skipNextRowGroup();
              row += block.getRowCount();
              continue;
            }
            PageReadStore pages = reader.readNextRowGroup();
            RecordReader<Group> records = columns.getRecordReader(pages, new GroupRecordConverter(schema));
            for (long i = 0; i < block.getRowCount(); i++, row++) {
              Group group = records.read();
              if (next < positions.length && row == positions[next]) {
                writer.write(group);
                next++;
              }
            }
          }
          if (next < positions.length) {
            throw changed(file, "it has no row " + positions[next]);
          }
        }
      }
    }

    private void copyText(MatchResult.Metadata file, ResourceId target) throws IOException {
      Compression compression = InputFiles.compressionOf(file.resourceId().toString());
      try (InputStream in = open(file, compression, 0);
          OutputStream out = create(target, compression)) {
        byte[] bytes = in.readNBytes(ReadDocuments.MAX_RECORD_BYTES + 1);
        int start = Utf8.hasBom(bytes, bytes.length) ? 3 : 0;
        out.write(bytes, start, bytes.length - start);
      }
    }

    private static IllegalStateException changed(MatchResult.Metadata file, String what) {
      return new IllegalStateException(
          file.resourceId() + " changed while it was being processed: " + what + " any more");
    }
  }

  static long[] sortedDistinct(Iterable<Long> values) {
    long[] sorted = new long[16];
    int n = 0;
    for (long value : values) {
      if (n == sorted.length) {
        sorted = Arrays.copyOf(sorted, n * 2);
      }
      sorted[n++] = value;
    }
    Arrays.sort(sorted, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
        sorted[distinct++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, distinct);
  }

  /** {@code dir/name.ext} → {@code dir/name-PPPPP-of-NNNNN.ext}. */
  static String partName(String relative, int part, int parts) {
    int slash = relative.lastIndexOf('/');
    int dot = relative.lastIndexOf('.');
    String suffix = String.format("-%05d-of-%05d", part, parts);
    return dot > slash + 1 ? relative.substring(0, dot) + suffix + relative.substring(dot) : relative + suffix;
  }
}
