package dev.bertforge.transforms.shards;

import dev.bertforge.options.ShardMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Turns one shard's documents into rows, the same way for the same documents whatever order they arrive in:
 * documents are ordered by a hash of their id (which also mixes sources), then cut by the mode — {@code truncate}
 * keeps each document's first {@code maxSeqLen} tokens, {@code split} makes one row per window, {@code pack} packs the
 * windows best fit and shuffles the rows with a seed fixed by the shard, so that lengths do not cluster.
 */
final class ShardRows {
  final List<TokenRow> rows;
  final long documents;
  final long tokens;
  /** Documents longer than a row, cut into several windows ({@code split}, {@code pack}). */
  final long documentsSplit;
  /** Tokens beyond {@code maxSeqLen} that truncation dropped ({@code truncate}). */
  final long tokensTruncated;

  private ShardRows(List<TokenRow> rows, long documents, long documentsSplit, long tokensTruncated) {
    this.rows = rows;
    this.documents = documents;
    this.documentsSplit = documentsSplit;
    this.tokensTruncated = tokensTruncated;
    long t = 0;
    for (TokenRow row : rows) {
      t += row.length();
    }
    this.tokens = t;
  }

  static ShardRows build(List<TokenizedDocument> documents, ShardMode mode, int maxSeqLen, long shuffleSeed) {
    List<TokenizedDocument> ordered = byIdHash(documents);
    List<Segment> segments = new ArrayList<>(ordered.size());
    long split = 0;
    long truncated = 0;
    for (TokenizedDocument document : ordered) {
      int[] ids = document.ids();
      if (mode == ShardMode.TRUNCATE) {
        Segment segment = Segment.truncated(ids, maxSeqLen);
        truncated += ids.length - segment.length();
        segments.add(segment);
      } else {
        List<Segment> windows = Segment.windows(ids, maxSeqLen);
        split += windows.size() > 1 ? 1 : 0;
        segments.addAll(windows);
      }
    }
    List<TokenRow> rows;
    if (mode == ShardMode.PACK) {
      rows = BestFitPacker.pack(segments, maxSeqLen);
      Collections.shuffle(rows, new Random(shuffleSeed));
    } else {
      rows = new ArrayList<>(segments.size());
      for (Segment segment : segments) {
        rows.add(TokenRow.of(segment));
      }
    }
    return new ShardRows(rows, ordered.size(), split, truncated);
  }

  private static List<TokenizedDocument> byIdHash(List<TokenizedDocument> documents) {
    long[] hashes = new long[documents.size()];
    Integer[] order = new Integer[documents.size()];
    for (int i = 0; i < order.length; i++) {
      hashes[i] = StableHash.of("order", documents.get(i).id());
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int byHash = Long.compare(hashes[a], hashes[b]);
      return byHash != 0 ? byHash : documents.get(a).id().compareTo(documents.get(b).id());
    });
    List<TokenizedDocument> ordered = new ArrayList<>(order.length);
    for (int i : order) {
      ordered.add(documents.get(i));
    }
    return ordered;
  }
}
