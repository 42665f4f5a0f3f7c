package dev.bertforge.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.data.SpecialTokens;
import dev.bertforge.trainer.data.TokenRow;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MlmMaskingTest {
  private static final SpecialTokens SPECIALS =
      SpecialTokens.ofTokens(Map.of("[UNK]", 0, "[CLS]", 1, "[SEP]", 2, "[PAD]", 3, "[MASK]", 4));
  private static final int VOCAB = 500;

  @Test
  void thirtyPercentAreLabelledAndSplitEightyTenTen() {
    MlmMasking masking = new MlmMasking(0.30, SPECIALS, VOCAB, true);
    int n = 200_000;
    int[] ids = IntStream.range(0, n).map(i -> 5 + i % (VOCAB - 5)).toArray();
    long[] inputs = new long[n];
    long[] labels = new long[n];
    int labelled = masking.apply(new TokenRow(ids, new int[] {n}), new SeededRandom(1), inputs, labels, 0);
    int masked = 0;
    int replaced = 0;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] == MlmMasking.IGNORE) {
        assertEquals(ids[i], inputs[i], "an unlabelled token changed");
        continue;
      }
      assertEquals(ids[i], labels[i]);
      if (inputs[i] == SPECIALS.mask()) {
        masked++;
      } else if (inputs[i] != ids[i]) {
        replaced++;
        assertTrue(!SPECIALS.isSpecial((int) inputs[i]) && inputs[i] < VOCAB);
      } else {
        kept++;
      }
    }
    assertEquals(labelled, masked + replaced + kept);
    assertEquals(0.30, labelled / (double) n, 0.005);
    assertEquals(0.80, masked / (double) labelled, 0.01);
    // a random replacement hits the original token 1 time in ~495, so "kept" gains a little
    assertEquals(0.10, replaced / (double) labelled, 0.01);
    assertEquals(0.10, kept / (double) labelled, 0.01);
  }

  @Test
  void evaluationLeavesSpecialTokensAndTrainingDoesNot() {
    int[] ids = new int[3000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 7;
    }
    TokenRow row = new TokenRow(ids, new int[] {ids.length});
    long[] inputs = new long[ids.length];
    long[] labels = new long[ids.length];
    new MlmMasking(0.5, SPECIALS, VOCAB, false).apply(row, new SeededRandom(2), inputs, labels, 0);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] != 7) {
        assertEquals(MlmMasking.IGNORE, labels[i]);
      }
    }
    new MlmMasking(0.5, SPECIALS, VOCAB, true).apply(row, new SeededRandom(2), inputs, labels, 0);
    assertTrue(IntStream.range(0, ids.length).anyMatch(i -> ids[i] == 1 && labels[i] == 1));
  }

  @Test
  void paddingIsNeverLabelledAndTheSeedFixesTheMask() {
    int[] ids = IntStream.range(0, 400).map(i -> i % 2 == 0 ? 3 : 9).toArray();
    TokenRow row = new TokenRow(ids, new int[] {400});
    MlmMasking masking = new MlmMasking(0.9, SPECIALS, VOCAB, true);
    long[] a = new long[400];
    long[] labelsA = new long[400];
    masking.apply(row, new SeededRandom(5, 1), a, labelsA, 0);
    for (int i = 0; i < 400; i += 2) {
      assertEquals(MlmMasking.IGNORE, labelsA[i]);
    }
    long[] b = new long[400];
    long[] labelsB = new long[400];
    masking.apply(row, new SeededRandom(5, 1), b, labelsB, 0);
    assertArrayEquals(a, b);
    assertArrayEquals(labelsA, labelsB);
    masking.apply(row, new SeededRandom(5, 2), b, labelsB, 0);
    assertNotEquals(java.util.Arrays.toString(labelsA), java.util.Arrays.toString(labelsB));
  }

  @Test
  void microBatchLabelsSitInTheRowMajorGridWithPadding() {
    MlmMasking masking = new MlmMasking(0.99, SPECIALS, VOCAB, true);
    TokenRow shortRow = new TokenRow(new int[] {1, 10, 2}, new int[] {3});
    TokenRow longRow = new TokenRow(new int[] {1, 11, 12, 2, 1, 13, 2}, new int[] {4, 3});
    MicroBatch batch = MicroBatch.of(List.of(shortRow, longRow), masking, new SeededRandom(3));
    assertEquals(7, batch.length());
    assertEquals(10, batch.tokens());
    assertEquals(14, batch.labels().length);
    for (int i = 3; i < 7; i++) {
      assertEquals(MlmMasking.IGNORE, batch.labels()[i], "padding of row 0 labelled at " + i);
    }
    long labelled = java.util.Arrays.stream(batch.labels()).filter(l -> l != MlmMasking.IGNORE).count();
    assertEquals(batch.labelCount(), labelled);
    assertArrayEquals(new int[] {4, 3}, batch.docLengths()[1]);
  }
}
