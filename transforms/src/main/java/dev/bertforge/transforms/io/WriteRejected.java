package dev.bertforge.transforms.io;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes rejected records to {@code OUT/rejected/rejected-00000-of-00001.jsonl}, one {@link RejectedRecord#toJson()}
 * per line; the file exists (empty) when nothing was rejected.
 */
public final class WriteRejected extends PTransform<PCollection<RejectedRecord>, PDone> {
  private final String outputDirectory;

  private WriteRejected(String outputDirectory) {
    this.outputDirectory = outputDirectory;
  }

  /** Writes below {@code outputDirectory}/rejected/. */
  public static WriteRejected to(String outputDirectory) {
    if (outputDirectory == null || outputDirectory.isBlank()) {
      throw new IllegalArgumentException("the output directory must be a path, not blank");
    }
    return new WriteRejected(outputDirectory);
  }

  @Override
  public PDone expand(PCollection<RejectedRecord> rejected) {
    String prefix =
        FileSystems.matchNewResource(outputDirectory, true)
            .resolve("rejected", StandardResolveOptions.RESOLVE_DIRECTORY)
            .resolve("rejected", StandardResolveOptions.RESOLVE_FILE)
            .toString();
    return rejected
        .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(RejectedRecord::toJson))
        .apply("Write", TextIO.write().to(prefix).withSuffix(".jsonl").withNumShards(1));
  }
}
