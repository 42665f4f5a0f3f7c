package dev.bertforge.trainer.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} the pretokenize pipeline writes beside its shards: which tokenizer made the
 * ids, how rows were formed, and the totals per shard.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShardManifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("tokenizer_sha256") String tokenizerSha256,
    @JsonProperty("vocab_size") int vocabSize,
    @JsonProperty("special_ids") Map<String, Integer> specialIds,
    @JsonProperty("special_tokens") Map<String, Integer> specialTokens,
    @JsonProperty("max_seq_len") int maxSeqLen,
    @JsonProperty("mode") String mode,
    @JsonProperty("totals") Totals totals,
    @JsonProperty("shards") List<Shard> shards) {

  public static final String FILE_NAME = "manifest.json";

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Totals(
      @JsonProperty("documents") long documents,
      @JsonProperty("rows") long rows,
      @JsonProperty("tokens") long tokens) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Shard(
      @JsonProperty("file") String file, @JsonProperty("rows") long rows, @JsonProperty("tokens") long tokens) {}

  /** Reads {@code manifest.json}, failing with the file name on missing or malformed content. */
  public static ShardManifest read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no " + FILE_NAME + " beside the shards: " + file + " does not exist");
    }
    ShardManifest manifest;
    try {
      manifest = new ObjectMapper().readValue(file.toFile(), ShardManifest.class);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not a valid shard manifest: " + e.getOriginalMessage(), e);
    }
    manifest.validate(file);
    return manifest;
  }

  private void validate(Path file) throws IOException {
    if (vocabSize <= 0) {
      throw new IOException(file + ": vocab_size missing or not positive");
    }
    try {
      specialTokenIds();
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    if (shards == null) {
      throw new IOException(file + ": no 'shards' list");
    }
  }

  /** The manifest's line for a shard file name, or {@code null} if it does not list it. */
  public Shard shard(String fileName) {
    return shards.stream().filter(s -> fileName.equals(Path.of(s.file()).getFileName().toString()))
        .findFirst().orElse(null);
  }

  public SpecialTokens specialTokenIds() {
    return SpecialTokens.of(specialIds, specialTokens);
  }
}
