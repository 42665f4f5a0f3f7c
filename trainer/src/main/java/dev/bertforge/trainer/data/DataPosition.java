package dev.bertforge.trainer.data;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the training data stream stands: the next row piece to read is piece {@code piece} of row
 * {@code row} (in the window's shuffled order) of shuffle window {@code window} in epoch {@code epoch}.
 * Saved in checkpoints so a resumed run reads exactly what the uninterrupted run would have read.
 */
public record DataPosition(
    @JsonProperty("epoch") int epoch,
    @JsonProperty("window") int window,
    @JsonProperty("row") int row,
    @JsonProperty("piece") int piece) {

  public static final DataPosition START = new DataPosition(0, 0, 0, 0);
}
