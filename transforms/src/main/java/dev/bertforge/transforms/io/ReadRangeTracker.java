package dev.bertforge.transforms.io;

import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;

/**
 * Tracks a {@link ReadRange}. It only takes checkpoints (splits at the current position, fraction 0), because only
 * there is the next record's number known; and only right after a claim marked {@link
 * ReadRange.Claim#checkpointAfter}, which the reader places every so many bytes or row groups: resuming (reopening
 * and seeking) stays rare, and the reader can still emit its per-file counts before its next claim fails. Runners
 * that checkpoint often (the Direct runner tries every 100 outputs) thereby get bounded memory per read.
 */
final class ReadRangeTracker extends RestrictionTracker<ReadRange, ReadRange.Claim> {
  private ReadRange range;
  private ReadRange.Claim lastClaimed;
  private boolean claimFailed;

  ReadRangeTracker(ReadRange range) {
    this.range = range;
  }

  @Override
  public boolean tryClaim(ReadRange.Claim claim) {
    if (claimFailed) {
      throw new IllegalStateException("tryClaim after a failed claim in " + range);
    }
    long expected = lastClaimed == null ? range.start : lastClaimed.next;
    if (claim.start != ReadRange.TO_END && claim.start < expected) {
      throw new IllegalArgumentException("claim " + claim + " is before " + expected + " in " + range);
    }
    if (claim.start >= range.end) {
      claimFailed = true;
      return false;
    }
    lastClaimed = claim;
    return true;
  }

  @Override
  public ReadRange currentRestriction() {
    return range;
  }

  @Override
  public SplitResult<ReadRange> trySplit(double fractionOfRemainder) {
    if (fractionOfRemainder != 0 || claimFailed || lastClaimed == null || !lastClaimed.checkpointAfter) {
      return null;
    }
    long resumeAt = lastClaimed.next;
    if (resumeAt >= range.end) {
      return null;
    }
    ReadRange primary = new ReadRange(range.start, resumeAt, range.firstRecord);
    ReadRange residual = new ReadRange(resumeAt, range.end, lastClaimed.nextRecord);
    range = primary;
    return SplitResult.of(primary, residual);
  }

  @Override
  public void checkDone() throws IllegalStateException {
    boolean done = claimFailed || (lastClaimed != null && lastClaimed.next >= range.end);
    if (!done) {
      throw new IllegalStateException(
          "reading stopped inside " + range + " after " + (lastClaimed == null ? "no claim" : lastClaimed));
    }
  }

  @Override
  public IsBounded isBounded() {
    return IsBounded.BOUNDED;
  }
}
