package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.data.SequencePacker;
import dev.bertforge.trainer.data.TokenRow;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the steps of a stage from the sequence stream: as many micro-batches as the batch-size warmup
 * asks for after the tokens so far, each masked with a generator seeded by (seed, step, micro-batch), so
 * that a resumed run masks exactly as the uninterrupted one.
 */
public final class StepBatcher implements Closeable {
  private final SequencePacker sequences;
  private final MlmMasking masking;
  private final int microSize;
  private final BatchSizeWarmup batchSizeWarmup;
  private final long seed;
  private long step;
  private long tokens;

  /**
   * @param lastStep the step already done (0 for a fresh stage); the first batch is for {@code lastStep + 1}
   * @param tokensSoFar tokens the stage has trained on before it
   */
  public StepBatcher(SequencePacker sequences, MlmMasking masking, int microSize, BatchSizeWarmup batchSizeWarmup,
      long seed, long lastStep, long tokensSoFar) {
    this.sequences = sequences;
    this.masking = masking;
    this.microSize = microSize;
    this.batchSizeWarmup = batchSizeWarmup;
    this.seed = seed;
    this.step = lastStep;
    this.tokens = tokensSoFar;
  }

  public StepBatch next() throws IOException {
    step++;
    int count = batchSizeWarmup.microBatchesAt(tokens);
    List<MicroBatch> microBatches = new ArrayList<>(count);
    for (int m = 0; m < count; m++) {
      List<TokenRow> rows = new ArrayList<>(microSize);
      for (int r = 0; r < microSize; r++) {
        TokenRow row = sequences.next();
        if (row == null) {
          throw new IOException("the training shards ran out (the stream should loop over epochs)");
        }
        rows.add(row);
      }
      MicroBatch batch = MicroBatch.of(rows, masking, new SeededRandom(seed, step, m));
      microBatches.add(batch);
      tokens += batch.tokens();
    }
    return new StepBatch(step, microBatches, sequences.position());
  }

  @Override
  public void close() {
    sequences.close();
  }
}
