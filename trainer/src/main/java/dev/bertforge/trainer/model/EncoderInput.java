package dev.bertforge.trainer.model;

import java.util.Arrays;

/**
 * A batch of token rows as the encoder sees it: the ids, which document each token belongs to, and each token's
 * RoPE position.
 *
 * <p>Two ways to describe a row: by {@code doc_lengths} (the token-shard format; documents packed into a row never
 * see each other and their positions restart at 0; tokens after the last document are padding) or by an HF
 * attention mask (1 = real token; positions are the token indices, as {@code transformers} numbers them). Rows
 * shorter than the longest are right-padded with the pad id.
 */
public final class EncoderInput {

  /** Document id of a padding token. */
  public static final int PADDING = -1;

  private final int batchSize;
  private final int length;
  private final long[] ids;
  private final int[] docIds;
  private final int[] positions;
  private final boolean packed;
  private final boolean hasPadding;

  private EncoderInput(int batchSize, int length, long[] ids, int[] docIds, int[] positions, boolean packed) {
    this.batchSize = batchSize;
    this.length = length;
    this.ids = ids;
    this.docIds = docIds;
    this.positions = positions;
    this.packed = packed;
    boolean padding = false;
    for (int d : docIds) {
      padding |= d == PADDING;
    }
    this.hasPadding = padding;
  }

  /**
   * Rows described by document lengths: row {@code r} holds documents of {@code docLengths[r]} tokens back to
   * back from its start; anything after them is padding.
   */
  public static EncoderInput ofDocuments(long[][] rows, int[][] docLengths, int padId) {
    if (rows.length == 0 || rows.length != docLengths.length) {
      throw new IllegalArgumentException(
          "need one doc_lengths list per row: " + rows.length + " rows, " + docLengths.length + " lists");
    }
    int length = longest(rows);
    long[] ids = padRows(rows, length, padId);
    int[] docIds = filled(rows.length * length, PADDING);
    int[] positions = new int[rows.length * length];
    boolean packed = false;
    for (int r = 0; r < rows.length; r++) {
      int base = r * length;
      int start = 0;
      for (int d = 0; d < docLengths[r].length; d++) {
        int len = docLengths[r][d];
        if (len <= 0 || start + len > rows[r].length) {
          throw new IllegalArgumentException("row " + r + ": doc_lengths " + Arrays.toString(docLengths[r])
              + " do not fit its " + rows[r].length + " tokens");
        }
        for (int i = 0; i < len; i++) {
          docIds[base + start + i] = d;
          positions[base + start + i] = i;
        }
        start += len;
      }
      packed |= docLengths[r].length > 1;
    }
    return new EncoderInput(rows.length, length, ids, docIds, positions, packed);
  }

  /** Rows that are each one document, every token real. */
  public static EncoderInput ofRows(long[][] rows, int padId) {
    int[][] lengths = new int[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      lengths[r] = new int[] {rows[r].length};
    }
    return ofDocuments(rows, lengths, padId);
  }

  /** Rows with an HF attention mask (1 = attend to this token, 0 = padding); positions are token indices. */
  public static EncoderInput ofAttentionMask(long[][] rows, int[][] attentionMask, int padId) {
    if (rows.length == 0 || rows.length != attentionMask.length) {
      throw new IllegalArgumentException("need one attention mask per row");
    }
    int length = longest(rows);
    long[] ids = padRows(rows, length, padId);
    int[] docIds = filled(rows.length * length, PADDING);
    int[] positions = new int[rows.length * length];
    for (int r = 0; r < rows.length; r++) {
      if (attentionMask[r].length != rows[r].length) {
        throw new IllegalArgumentException("row " + r + ": attention mask has " + attentionMask[r].length
            + " entries for " + rows[r].length + " tokens");
      }
      int base = r * length;
      for (int i = 0; i < length; i++) {
        positions[base + i] = i;
        if (i < rows[r].length && attentionMask[r][i] != 0) {
          docIds[base + i] = 0;
        }
      }
    }
    return new EncoderInput(rows.length, length, ids, docIds, positions, false);
  }

  /** The rows back to back, each right-padded with {@code padId} to {@code length}. */
  private static long[] padRows(long[][] rows, int length, int padId) {
    long[] ids = filledLongs(rows.length * length, padId);
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, ids, r * length, rows[r].length);
    }
    return ids;
  }

  private static long[] filledLongs(int n, long value) {
    long[] out = new long[n];
    Arrays.fill(out, value);
    return out;
  }

  private static int[] filled(int n, int value) {
    int[] out = new int[n];
    Arrays.fill(out, value);
    return out;
  }

  private static int longest(long[][] rows) {
    int length = 0;
    for (long[] row : rows) {
      length = Math.max(length, row.length);
    }
    if (length == 0) {
      throw new IllegalArgumentException("empty batch: no tokens");
    }
    return length;
  }

  /** The same rows right-padded to a multiple of {@code multiple} tokens (padding joins no document). */
  public EncoderInput paddedToMultipleOf(int multiple, int padId) {
    int padded = (length + multiple - 1) / multiple * multiple;
    if (padded == length) {
      return this;
    }
    int n = batchSize * padded;
    long[] newIds = filledLongs(n, padId);
    int[] newDocs = filled(n, PADDING);
    int[] newPositions = new int[n];
    for (int r = 0; r < batchSize; r++) {
      System.arraycopy(ids, r * length, newIds, r * padded, length);
      System.arraycopy(docIds, r * length, newDocs, r * padded, length);
      System.arraycopy(positions, r * length, newPositions, r * padded, length);
      for (int i = length; i < padded; i++) {
        newPositions[r * padded + i] = i;
      }
    }
    return new EncoderInput(batchSize, padded, newIds, newDocs, newPositions, packed);
  }

  public int batchSize() {
    return batchSize;
  }

  /** Tokens per row (the longest row; shorter rows are padded). */
  public int length() {
    return length;
  }

  /** Row-major [batch × length] token ids. */
  public long[] ids() {
    return ids;
  }

  /** Row-major [batch × length] document index within the row, {@link #PADDING} for padding. */
  public int[] docIds() {
    return docIds;
  }

  /** Row-major [batch × length] RoPE positions. */
  public int[] positions() {
    return positions;
  }

  /** True when some row holds more than one document, so attention must be block-diagonal. */
  public boolean isPacked() {
    return packed;
  }

  public boolean hasPadding() {
    return hasPadding;
  }

  public int docId(int row, int index) {
    return docIds[row * length + index];
  }
}
