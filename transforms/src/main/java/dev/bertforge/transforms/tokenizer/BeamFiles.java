package dev.bertforge.transforms.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Whole small files read and written through Beam's {@code FileSystems}: local paths, gs://, s3:// alike. */
final class BeamFiles {
  private BeamFiles() {}

  /** The file {@code name} inside {@code directory}. */
  static ResourceId resolve(String directory, String name) {
    return FileSystems.matchNewResource(directory, true).resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  static void write(String directory, String name, byte[] content) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(resolve(directory, name), "application/json"))) {
      out.write(content);
    }
  }

  static byte[] read(String path) throws IOException {
    ResourceId file = FileSystems.matchSingleFileSpec(path).resourceId();
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
