package dev.bertforge.trainer.data;

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
