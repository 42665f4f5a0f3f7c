package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.data.TokenRow;
import java.util.Arrays;
import java.util.List;

/**
 * The sequences of one forward/backward pass after masking: corrupted ids, the documents of each row, and
 * labels for the row-major {@code [rows × longest]} grid ({@link MlmMasking#IGNORE} where there is none,
 * padding included).
 *
 * @param tokens real (non-padding) tokens, the unit of the token budget and the schedules
 * @param labelCount labelled positions, the denominator of the step's loss
 */
public record MicroBatch(long[][] inputs, int[][] docLengths, long[] labels, int length, long tokens,
    int labelCount) {

  /** Masks {@code rows} with a generator derived from the seed, the step and the micro-batch's index. */
  public static MicroBatch of(List<TokenRow> rows, MlmMasking masking, SeededRandom random) {
    int length = rows.stream().mapToInt(TokenRow::length).max().orElseThrow();
    long[][] inputs = new long[rows.size()][];
    int[][] docLengths = new int[rows.size()][];
    long[] labels = new long[rows.size() * length];
    Arrays.fill(labels, MlmMasking.IGNORE);
    long tokens = 0;
    int labelCount = 0;
    for (int r = 0; r < rows.size(); r++) {
      TokenRow row = rows.get(r);
      inputs[r] = new long[row.length()];
      docLengths[r] = row.docLengths();
      labelCount += masking.apply(row, random, inputs[r], labels, r * length);
      tokens += row.length();
    }
    return new MicroBatch(inputs, docLengths, labels, length, tokens, labelCount);
  }

  public int rows() {
    return inputs.length;
  }
}
