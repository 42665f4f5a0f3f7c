package dev.bertforge.transforms.shards;

import dev.bertforge.options.ShardCompression;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Names and writes the files of a shard set through Beam's {@link FileSystems} (local, gs://, s3://). Each file is
 * written under a temporary name beside its final one and then renamed, so a retried or duplicated bundle leaves
 * exactly one whole file with the same content.
 */
final class ShardFiles {
  static final String MANIFEST = "manifest.json";
  private static final String TEMP_PREFIX = ".tmp-";

  private ShardFiles() {}

  static String shardName(int shard, int numShards, ShardCompression compression) {
    return String.format("tokens-%05d-of-%05d.tfrecord%s", shard, numShards, compression.suffix());
  }

  /** Writes the rows as a TFRecord file of {@code tf.train.Example}s; returns the file's size in bytes. */
  static long writeShard(ResourceId directory, String name, ShardCompression compression, List<TokenRow> rows,
      int maxSeqLen) throws IOException {
    return writeAtomically(directory, name, out -> {
      GZIPOutputStream gzip = compression == ShardCompression.GZIP ? new GZIPOutputStream(out, 1 << 16) : null;
      TfRecordWriter writer = new TfRecordWriter(gzip != null ? gzip : out);
      int[] idsBuffer = new int[maxSeqLen];
      for (TokenRow row : rows) {
        writer.write(row.toExample(idsBuffer));
      }
      if (gzip != null) {
        gzip.finish();
      }
    });
  }

  /** Writes a small file (the manifest) the same temp-then-rename way. */
  static void writeFile(ResourceId directory, String name, byte[] content) throws IOException {
    writeAtomically(directory, name, out -> out.write(content));
  }

  /** Removes temporary files that failed or duplicated attempts left behind. */
  static void deleteLeftoverTempFiles(ResourceId directory) throws IOException {
    MatchResult match =
        FileSystems.match(directory.resolve(TEMP_PREFIX, StandardResolveOptions.RESOLVE_FILE) + "*",
            EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK) {
      return;
    }
    List<ResourceId> leftovers = new ArrayList<>();
    for (MatchResult.Metadata file : match.metadata()) {
      leftovers.add(file.resourceId());
    }
    FileSystems.delete(leftovers);
  }

  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static long writeAtomically(ResourceId directory, String name, Content content) throws IOException {
    ResourceId target = directory.resolve(name, StandardResolveOptions.RESOLVE_FILE);
    ResourceId temp =
        directory.resolve(TEMP_PREFIX + name + "-" + UUID.randomUUID(), StandardResolveOptions.RESOLVE_FILE);
    CountingOutputStream counted =
        new CountingOutputStream(Channels.newOutputStream(FileSystems.create(temp, MimeTypes.BINARY)));
    try (OutputStream out = new BufferedOutputStream(counted, 1 << 20)) {
      content.writeTo(out);
    }
    FileSystems.rename(Collections.singletonList(temp), Collections.singletonList(target));
    return counted.count;
  }

  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
