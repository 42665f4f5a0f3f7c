package dev.bertforge.transforms.tokenizer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Reads a tokenizer's {@code tokenizer.json} through Beam's {@link FileSystems}, so that a tokenizer on {@code gs://}
 * or {@code s3://} works on every worker. The location is a directory holding {@code tokenizer.json}, or the file.
 */
public final class TokenizerLocation {
  private TokenizerLocation() {}

  /** The tokenizer.json that {@code location} means. */
  public static ResourceId tokenizerJson(String location) {
    if (location.endsWith(".json")) {
      return FileSystems.matchNewResource(location, false);
    }
    return FileSystems.matchNewResource(location, true)
        .resolve("tokenizer.json", StandardResolveOptions.RESOLVE_FILE);
  }

  /** The bytes of the tokenizer.json at {@code location}; a clear error when it is not there. */
  public static byte[] read(String location) throws IOException {
    ResourceId file = tokenizerJson(location);
    try {
      FileSystems.matchSingleFileSpec(file.toString());
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("no tokenizer.json at " + file + " (from tokenizer location " + location + ")");
    }
    try (ReadableByteChannel channel = FileSystems.open(file);
        InputStream in = Channels.newInputStream(channel)) {
      return in.readAllBytes();
    }
  }
}
