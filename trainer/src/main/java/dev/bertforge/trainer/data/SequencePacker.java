package dev.bertforge.trainer.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns row pieces into training sequences of at most {@code maxLength} tokens. With packing, consecutive
 * pieces are concatenated while they fit (their documents stay separate through {@code doc_lengths}, so
 * attention does not cross them); without it each piece is one sequence.
 */
public final class SequencePacker implements Closeable {
  private final RowStream rows;
  private final int maxLength;
  private final boolean pack;
  private TokenRow pending;
  private DataPosition positionBeforePending;

  public SequencePacker(RowStream rows, int maxLength, boolean pack) {
    this.rows = rows;
    this.maxLength = maxLength;
    this.pack = pack;
  }

  /** The next sequence, or {@code null} when a non-looping stream is exhausted. */
  public TokenRow next() throws IOException {
    TokenRow first = pending != null ? pending : rows.next();
    pending = null;
    if (first == null || !pack) {
      return first;
    }
    List<TokenRow> parts = new ArrayList<>();
    parts.add(first);
    int length = first.length();
    while (length < maxLength) {
      DataPosition before = rows.position();
      TokenRow candidate = rows.next();
      if (candidate == null) {
        break;
      }
      if (length + candidate.length() > maxLength) {
        pending = candidate;
        positionBeforePending = before;
        break;
      }
      parts.add(candidate);
      length += candidate.length();
    }
    return concatenate(parts, length);
  }

  /**
   * Where a fresh stream must start to produce the same sequences as this one from here on: a piece held
   * back for the next sequence is read again.
   */
  public DataPosition position() {
    return pending != null ? positionBeforePending : rows.position();
  }

  private static TokenRow concatenate(List<TokenRow> parts, int length) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int[] ids = new int[length];
    int documents = parts.stream().mapToInt(p -> p.docLengths().length).sum();
    int[] docLengths = new int[documents];
    int at = 0;
    int doc = 0;
    for (TokenRow part : parts) {
      System.arraycopy(part.inputIds(), 0, ids, at, part.length());
      at += part.length();
      System.arraycopy(part.docLengths(), 0, docLengths, doc, part.docLengths().length);
      doc += part.docLengths().length;
    }
    return new TokenRow(ids, docLengths);
  }

  @Override
  public void close() {
    rows.close();
  }
}
