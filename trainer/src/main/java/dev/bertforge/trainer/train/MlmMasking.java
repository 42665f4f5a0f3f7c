package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.data.SpecialTokens;
import dev.bertforge.trainer.data.TokenRow;

/**
 * Masked-language-model corruption of a row, as ModernBERT's packer does it (one draw {@code r} per token,
 * rate {@code p}): {@code r < 0.8p} → {@code [MASK]}, {@code 0.8p ≤ r < 0.9p} → a random token,
 * {@code 0.9p ≤ r < p} → kept; those positions, and only those, are labelled with the original token.
 *
 * <p>Training masks every real token, {@code [CLS]}/{@code [SEP]} included, as the recipe does; evaluation
 * leaves special tokens alone, as Hugging Face's {@code DataCollatorForLanguageModeling} does. Random
 * replacements are drawn uniformly from the tokenizer's non-special ids.
 */
public final class MlmMasking {
  /** The label of a position the loss ignores. */
  public static final long IGNORE = -100;

  private final double rate;
  private final SpecialTokens specials;
  private final int vocabSize;
  private final boolean maskSpecialTokens;

  /**
   * @param vocabSize the tokenizer's vocabulary; random replacements come from {@code [0, vocabSize)}
   * @param maskSpecialTokens whether special tokens may be chosen (true for training, false for evaluation)
   */
  public MlmMasking(double rate, SpecialTokens specials, int vocabSize, boolean maskSpecialTokens) {
    if (!(rate > 0 && rate < 1)) {
      throw new IllegalArgumentException("mask rate must be in (0, 1): " + rate);
    }
    if (specials.all().size() >= vocabSize) {
      throw new IllegalArgumentException("the vocabulary holds only special tokens");
    }
    this.rate = rate;
    this.specials = specials;
    this.vocabSize = vocabSize;
    this.maskSpecialTokens = maskSpecialTokens;
  }

  public double rate() {
    return rate;
  }

  /**
   * Corrupts {@code row} into {@code inputs} and writes labels into {@code labels[offset ...]}.
   *
   * @return how many positions were labelled
   */
  public int apply(TokenRow row, SeededRandom random, long[] inputs, long[] labels, int offset) {
    int maskId = specials.mask();
    int padId = specials.pad();
    int labelled = 0;
    int[] ids = row.inputIds();
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      double r = random.nextDouble();
      inputs[i] = id;
      labels[offset + i] = IGNORE;
      if (id == padId || (!maskSpecialTokens && specials.isSpecial(id)) || r >= rate) {
        continue;
      }
      labels[offset + i] = id;
      labelled++;
      if (r < 0.8 * rate) {
        inputs[i] = maskId;
      } else if (r < 0.9 * rate) {
        inputs[i] = randomOrdinaryToken(random);
      }
    }
    return labelled;
  }

  private int randomOrdinaryToken(SeededRandom random) {
    while (true) {
      int id = random.nextInt(vocabSize);
      if (!specials.isSpecial(id)) {
        return id;
      }
    }
  }
}
