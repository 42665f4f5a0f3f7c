package dev.bertforge.transforms.shards;

import java.util.ArrayList;
import java.util.List;

/**
 * One document's contribution to a row: the document's first token ([CLS]), its content tokens {@code [from, to)},
 * and its last token ([SEP]). A whole document is the segment {@code [1, n-1)} of its {@code n} ids; the windows of
 * a split document are consecutive segments, each wrapped in [CLS] … [SEP] again.
 */
final class Segment {
  private final int[] encoding;
  private final int from;
  private final int to;

  private Segment(int[] encoding, int from, int to) {
    this.encoding = encoding;
    this.from = from;
    this.to = to;
  }

  /** Tokens in the row: the content plus [CLS] and [SEP]. */
  int length() {
    return to - from + 2;
  }

  /** Writes the segment's tokens at {@code at}; returns the position after them. */
  int copyTo(int[] row, int at) {
    row[at++] = encoding[0];
    System.arraycopy(encoding, from, row, at, to - from);
    at += to - from;
    row[at++] = encoding[encoding.length - 1];
    return at;
  }

  /** The whole document when it fits in {@code maxSeqLen}, else windows of {@code maxSeqLen - 2} content tokens. */
  static List<Segment> windows(int[] encoding, int maxSeqLen) {
    int content = maxSeqLen - 2;
    int end = encoding.length - 1;
    List<Segment> windows = new ArrayList<>();
    int from = 1;
    do { // at least one window, so that no document vanishes
      windows.add(new Segment(encoding, from, Math.min(end, from + content)));
      from += content;
    } while (from < end);
    return windows;
  }

  /** The document's first {@code maxSeqLen} tokens, ending in its [SEP], as Hugging Face truncation makes them. */
  static Segment truncated(int[] encoding, int maxSeqLen) {
    return new Segment(encoding, 1, Math.min(encoding.length - 1, maxSeqLen - 1));
  }
}
