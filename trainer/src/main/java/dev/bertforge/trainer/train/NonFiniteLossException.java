package dev.bertforge.trainer.train;

import java.nio.file.Path;

/** The loss became NaN or infinite: training stops, naming the step and the checkpoint to go back to. */
public final class NonFiniteLossException extends RuntimeException {
  public NonFiniteLossException(long step, double loss, Path lastCheckpoint) {
    super("loss is " + loss + " at step " + step + "; "
        + (lastCheckpoint == null ? "no checkpoint was written yet"
            : "the last good checkpoint is " + lastCheckpoint
                + " (lower optimizer.lr or add optimizer.clip_grad_norm, then run again with --resume)"));
  }
}
