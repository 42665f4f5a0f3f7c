package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.DataPosition;
import java.util.List;

/**
 * Everything one optimizer step consumes: its micro-batches (masked), their totals, and where the data
 * stream stands after them (what a checkpoint taken after this step records).
 */
public record StepBatch(long step, List<MicroBatch> microBatches, DataPosition positionAfter) {

  public long tokens() {
    return microBatches.stream().mapToLong(MicroBatch::tokens).sum();
  }

  /** Labelled positions of the whole step: each micro-batch's loss sum is divided by this. */
  public long labelCount() {
    return microBatches.stream().mapToLong(MicroBatch::labelCount).sum();
  }

  public int sequences() {
    return microBatches.stream().mapToInt(MicroBatch::rows).sum();
  }
}
