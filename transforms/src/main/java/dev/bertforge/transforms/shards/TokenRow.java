package dev.bertforge.transforms.shards;

import java.util.ArrayList;
import java.util.List;

/** One training row: segments of one or more documents, at most {@code maxSeqLen} tokens together. */
final class TokenRow {
  private final List<Segment> segments = new ArrayList<>(2);
  private int length;

  static TokenRow of(Segment segment) {
    TokenRow row = new TokenRow();
    row.add(segment);
    return row;
  }

  void add(Segment segment) {
    segments.add(segment);
    length += segment.length();
  }

  int length() {
    return length;
  }

  /** The row as a {@code tf.train.Example}: {@code input_ids} and {@code doc_lengths}. */
  byte[] toExample(int[] idsBuffer) {
    int n = 0;
    int[] docLengths = new int[segments.size()];
    for (int s = 0; s < segments.size(); s++) {
      n = segments.get(s).copyTo(idsBuffer, n);
      docLengths[s] = segments.get(s).length();
    }
    return new TfExample()
        .addInt64List("input_ids", idsBuffer, n)
        .addInt64List("doc_lengths", docLengths, docLengths.length)
        .toByteArray();
  }
}
