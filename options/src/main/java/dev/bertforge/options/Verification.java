package dev.bertforge.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * How NearDuplicates confirms an LSH candidate pair before linking the two documents.
 *
 * <ul>
 *   <li>SIGNATURE (default): the Jaccard similarity estimated from the two MinHash signatures must reach
 *       the threshold. Costs one shuffle of the signatures (numPerm × 4 bytes per document) and removes most of
 *       LSH's false positives; pairs near the threshold are decided with the estimator's error (standard
 *       deviation ≤ √(J(1-J)/numPerm), about 0.03 at J = 0.7 and 256 permutations).
 *   <li>EXACT: the exact Jaccard similarity of the two shingle sets must reach the threshold. No
 *       estimation error, but the text of every document is shuffled once more and candidates are shingled again:
 *       the slowest and most precise.
 *   <li>NONE: every candidate pair is linked (BigCode's choice for The Stack). Fastest; precision is
 *       LSH's alone, and false links chain through connected components into larger clusters.
 * </ul>
 */
public enum Verification {
  SIGNATURE,
  EXACT,
  NONE;

  /** Parses {@code signature|exact|none} in any case (Beam's option parser calls this through Jackson). */
  @JsonCreator
  public static Verification parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException(
          "unknown verification '" + name + "': expected one of signature, exact, none");
    }
  }
}
