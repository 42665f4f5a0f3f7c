package dev.bertforge.transforms.shards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes the documents {@link Pretokenize} rejected to {@code OUT/rejected/pretokenize-00000-of-00001.jsonl}, one
 * {@code {"id", "reason", "detail"}} per line (the file exists, empty, when none was rejected).
 */
public final class WriteRejectedDocuments extends PTransform<PCollection<RejectedDocument>, PDone> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String outputDirectory;

  private WriteRejectedDocuments(String outputDirectory) {
    this.outputDirectory = outputDirectory;
  }

  public static WriteRejectedDocuments to(String outputDirectory) {
    return new WriteRejectedDocuments(outputDirectory);
  }

  @Override
  public PDone expand(PCollection<RejectedDocument> rejected) {
    String prefix = FileSystems.matchNewResource(outputDirectory, true)
        .resolve("rejected", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve("pretokenize", StandardResolveOptions.RESOLVE_FILE)
        .toString();
    return rejected
        .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(WriteRejectedDocuments::toJson))
        .apply("Write", TextIO.write().to(prefix).withSuffix(".jsonl").withNumShards(1));
  }

  static String toJson(RejectedDocument r) {
    Map<String, String> line = new LinkedHashMap<>();
    line.put("id", r.id());
    line.put("reason", r.reason().label());
    line.put("detail", r.detail());
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
