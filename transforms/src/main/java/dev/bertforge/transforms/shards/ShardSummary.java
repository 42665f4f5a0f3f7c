package dev.bertforge.transforms.shards;

import java.io.Serializable;

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
}
