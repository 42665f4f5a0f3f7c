package dev.bertforge.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The token shards a glob selects, with their manifest(s). Every folder that holds a selected shard must
 * have a {@code manifest.json} that lists it, and all manifests must agree on the tokenizer.
 */
public final class ShardSet {
  /** One shard file with its row and token counts from the manifest and its size on disk. */
  public record Shard(Path path, long rows, long tokens, long bytes) {}

  private final String glob;
  private final List<Shard> shards;
  private final ShardManifest manifest;

  private ShardSet(String glob, List<Shard> shards, ShardManifest manifest) {
    this.glob = glob;
    this.shards = List.copyOf(shards);
    this.manifest = manifest;
  }

  /** Resolves {@code glob} and reads the manifests; fails on no files, no rows or disagreeing manifests. */
  public static ShardSet open(String glob) throws IOException {
    Map<Path, ShardManifest> manifests = new LinkedHashMap<>();
    List<Shard> shards = new ArrayList<>();
    for (Path file : ShardFiles.resolve(glob)) {
      Path manifestFile = file.resolveSibling(ShardManifest.FILE_NAME);
      ShardManifest manifest = manifests.get(manifestFile);
      if (manifest == null) {
        manifest = ShardManifest.read(manifestFile);
        manifests.put(manifestFile, manifest);
      }
      ShardManifest.Shard line = manifest.shard(file.getFileName().toString());
      if (line == null) {
        throw new IOException(manifestFile + " does not list the shard " + file.getFileName()
            + " (a leftover from another run?)");
      }
      shards.add(new Shard(file, line.rows(), line.tokens(), Files.size(file)));
    }
    ShardManifest first = manifests.values().iterator().next();
    for (Map.Entry<Path, ShardManifest> entry : manifests.entrySet()) {
      String difference = tokenizerDifference(first, entry.getValue());
      if (difference != null) {
        throw new IOException("shards of '" + glob + "' come from different tokenizers: "
            + entry.getKey() + " differs from " + manifests.keySet().iterator().next() + " in " + difference);
      }
    }
    if (shards.stream().mapToLong(Shard::rows).sum() == 0) {
      throw new IOException("the shards of '" + glob + "' hold no rows");
    }
    return new ShardSet(glob, shards, first);
  }

  /** What differs between the tokenizers two manifests name, or {@code null} if they agree. */
  public static String tokenizerDifference(ShardManifest a, ShardManifest b) {
    if (!Objects.equals(a.tokenizerSha256(), b.tokenizerSha256())) {
      return "tokenizer sha256 (" + a.tokenizerSha256() + " vs " + b.tokenizerSha256() + ")";
    }
    if (a.vocabSize() != b.vocabSize()) {
      return "vocab size (" + a.vocabSize() + " vs " + b.vocabSize() + ")";
    }
    if (!a.specialTokenIds().equals(b.specialTokenIds())) {
      return "special token ids (" + a.specialTokenIds() + " vs " + b.specialTokenIds() + ")";
    }
    return null;
  }

  public String glob() {
    return glob;
  }

  public List<Shard> shards() {
    return shards;
  }

  public ShardManifest manifest() {
    return manifest;
  }

  public long rows() {
    return shards.stream().mapToLong(Shard::rows).sum();
  }

  public long tokens() {
    return shards.stream().mapToLong(Shard::tokens).sum();
  }
}
