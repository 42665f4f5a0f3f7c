package dev.bertforge.trainer.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One training row: token ids and the lengths of the documents packed into it, in order.
 *
 * @param inputIds the token ids, {@code [CLS] ... [SEP]} around each document
 * @param docLengths the documents' lengths; they sum to {@code inputIds.length}
 */
public record TokenRow(int[] inputIds, int[] docLengths) {

  public TokenRow {
    long sum = 0;
    for (int length : docLengths) {
      if (length <= 0) {
        throw new IllegalArgumentException("doc_lengths holds a non-positive length " + length);
      }
      sum += length;
    }
    if (sum != inputIds.length) {
      throw new IllegalArgumentException(
          "doc_lengths sum to " + sum + " but input_ids has " + inputIds.length + " tokens");
    }
  }

  public int length() {
    return inputIds.length;
  }

  /** How many pieces of at most {@code maxLength} tokens this row is cut into. */
  public int pieces(int maxLength) {
    return (inputIds.length + maxLength - 1) / maxLength;
  }

  /** Piece {@code piece} of this row cut into pieces of {@code maxLength} tokens, documents cut with it. */
  public TokenRow piece(int piece, int maxLength) {
    if (inputIds.length <= maxLength) {
      return this;
    }
    int from = piece * maxLength;
    int to = Math.min(from + maxLength, inputIds.length);
    int[] ids = Arrays.copyOfRange(inputIds, from, to);
    int[] lengths = new int[docLengths.length];
    int kept = 0;
    int docStart = 0;
    for (int length : docLengths) {
      int docEnd = docStart + length;
      int overlap = Math.min(docEnd, to) - Math.max(docStart, from);
      if (overlap > 0) {
        lengths[kept++] = overlap;
      }
      docStart = docEnd;
    }
    return new TokenRow(ids, Arrays.copyOf(lengths, kept));
  }

  /**
   * The row in a shard record, checked: a record that is no valid example, or holds an id at or above
   * {@code vocabSize}, is a {@link CorruptShardException} naming the shard and the record's byte offset.
   */
  static TokenRow decode(byte[] record, int vocabSize, Path shard, long offset) throws CorruptShardException {
    TokenRow row;
    try {
      row = ExampleDecoder.decode(record);
    } catch (IllegalArgumentException e) {
      throw new CorruptShardException(shard, offset, e.getMessage());
    }
    for (int id : row.inputIds()) {
      if (id >= vocabSize) {
        throw new CorruptShardException(shard, offset, "token id " + id + " is outside the vocabulary of " + vocabSize);
      }
    }
    return row;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TokenRow row
        && Arrays.equals(inputIds, row.inputIds)
        && Arrays.equals(docLengths, row.docLengths);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(inputIds) + Arrays.hashCode(docLengths);
  }

  @Override
  public String toString() {
    return "TokenRow" + Arrays.toString(inputIds) + " docs " + Arrays.toString(docLengths);
  }
}
