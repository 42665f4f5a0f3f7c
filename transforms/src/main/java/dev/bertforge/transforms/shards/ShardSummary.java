package dev.bertforge.transforms.shards;

import java.io.Serializable;
import java.util.Objects;

/** What one written shard file holds: its manifest line. */
final class ShardSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  final int shard;
  final String file;
  final long documents;
  final long rows;
  final long tokens;
  final long bytes;
  final long documentsSplit;
  final long tokensTruncated;

  ShardSummary(int shard, String file, ShardRows contents, long bytes) {
    this(shard, file, contents.documents, contents.rows.size(), contents.tokens, bytes, contents.documentsSplit,
        contents.tokensTruncated);
  }

  ShardSummary(int shard, String file, long documents, long rows, long tokens, long bytes, long documentsSplit,
      long tokensTruncated) {
    this.shard = shard;
    this.file = file;
    this.documents = documents;
    this.rows = rows;
    this.tokens = tokens;
    this.bytes = bytes;
    this.documentsSplit = documentsSplit;
    this.tokensTruncated = tokensTruncated;
  }

  /** Value equality: the Direct runner compares elements with it (and warns about each one without it). */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ShardSummary)) {
      return false;
    }
    ShardSummary o = (ShardSummary) other;
    return shard == o.shard && file.equals(o.file) && documents == o.documents && rows == o.rows
        && tokens == o.tokens && bytes == o.bytes && documentsSplit == o.documentsSplit
        && tokensTruncated == o.tokensTruncated;
  }

  @Override
  public int hashCode() {
    return Objects.hash(shard, file, documents, rows, tokens, bytes, documentsSplit, tokensTruncated);
  }
}
