package dev.bertforge.transforms.shards;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Guards a shard set's output directory before a run: shards of an earlier run (another shard count, a crashed run)
 * must not sit beside the new ones, where a reader globbing {@code tokens-*} would take them too.
 */
public final class ShardOutputDirectory {
  private static final String[] PATTERNS = {
    "tokens-*.tfrecord*", ShardFiles.MANIFEST, ".tmp-*",
    "validation/tokens-*.tfrecord*", "validation/" + ShardFiles.MANIFEST, "validation/.tmp-*", "rejected/*.jsonl"
  };

  private ShardOutputDirectory() {}

  /**
   * Deletes the shard set files in {@code output} when {@code overwrite}; otherwise fails if there are any. Call
   * after {@link FileSystems#setDefaultPipelineOptions}.
   */
  public static void prepare(String output, boolean overwrite) throws IOException {
    List<ResourceId> existing = existing(output);
    if (existing.isEmpty()) {
      return;
    }
    if (!overwrite) {
      throw new IllegalArgumentException(
          "--output " + output + " already holds token shards (" + existing.get(0) + " and " + (existing.size() - 1)
              + " more): pass --overwrite=true to replace them, or choose another --output");
    }
    FileSystems.delete(existing);
  }

  static List<ResourceId> existing(String output) throws IOException {
    String directory = FileSystems.matchNewResource(output, true).toString();
    List<ResourceId> files = new ArrayList<>();
    for (String pattern : PATTERNS) {
      MatchResult match = FileSystems.match(directory + pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata file : match.metadata()) {
          files.add(file.resourceId());
        }
      }
    }
    return files;
  }
}
