package dev.bertforge.trainer.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Where the training data stream stands: the next row piece to read is piece {@code piece} of row
 * {@code row} (in the window's shuffled order) of shuffle window {@code window} in epoch {@code epoch}.
 * A mixture ({@link MixedRows}) stands at one such position per source, with the tokens drawn from each so far,
 * in {@code sources}. Saved in checkpoints so a resumed run reads exactly what the uninterrupted run would have.
 *
 * @param sources per source of a mixture, in the config's order; {@code null} for a single shard set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataPosition(
    @JsonProperty("epoch") int epoch,
    @JsonProperty("window") int window,
    @JsonProperty("row") int row,
    @JsonProperty("piece") int piece,
    @JsonProperty("sources") List<SourcePosition> sources) {

  public static final DataPosition START = new DataPosition(0, 0, 0, 0);

  @JsonCreator
  public DataPosition {
    sources = sources == null ? null : List.copyOf(sources);
  }

  public DataPosition(int epoch, int window, int row, int piece) {
    this(epoch, window, row, piece, null);
  }

  /** One mixture source's position and the real tokens drawn from it in this stage. */
  public record SourcePosition(
      @JsonProperty("name") String name,
      @JsonProperty("position") DataPosition position,
      @JsonProperty("tokens") long tokens) {}
}
