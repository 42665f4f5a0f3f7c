package dev.bertforge.transforms.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;

/** Writes each document to its own file, {@code DIR/<id>}, compressed as the id's extension says. */
final class WriteTextFileFn extends DoFn<Document, Void> {
  private final String directory;

  WriteTextFileFn(String directory) {
    this.directory = directory;
  }

  @ProcessElement
  public void process(@Element Document document) throws IOException {
    ResourceId file = resolve(directory, document.id());
    Compression compression = Compression.detect(document.id());
    try (WritableByteChannel channel = compression.writeCompressed(FileSystems.create(file, "text/plain"));
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(document.text().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** {@code directory/relative}, refusing ids that would leave the directory. */
  static ResourceId resolve(String directory, String relative) {
    ResourceId resolved = FileSystems.matchNewResource(directory, true);
    String[] parts = relative.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains(":")) {
        if (i == 0 && part.isEmpty()) {
          continue; // an absolute path (a file outside the input's directory) goes below the output too
        }
        throw new IllegalArgumentException("document id '" + relative + "' is not a relative file path");
      }
      boolean last = i == parts.length - 1;
      resolved =
          resolved.resolve(part, last ? StandardResolveOptions.RESOLVE_FILE : StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return resolved;
  }
}
