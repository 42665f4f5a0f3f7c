package dev.bertforge.trainer.data;

import java.io.IOException;
import java.nio.file.Path;

/** A shard whose bytes break the TFRecord framing or the token-row contract, with where it happened. */
public final class CorruptShardException extends IOException {
  private final Path shard;
  private final long byteOffset;

  public CorruptShardException(Path shard, long byteOffset, String problem) {
    super(shard + ": corrupt record at byte offset " + byteOffset + ": " + problem);
    this.shard = shard;
    this.byteOffset = byteOffset;
  }

  public Path shard() {
    return shard;
  }

  /** Offset of the record's first byte (in the decompressed stream for .gz/.zst shards). */
  public long byteOffset() {
    return byteOffset;
  }
}
